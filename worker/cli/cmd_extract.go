package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/pipeline"
)

func extractFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.url, "url", "", "the page's URL (resolves relative links, selects per-site rules)")
	fs.StringVar(&o.rules, "rules", "", "per-site extraction rules file")
	fs.StringVar(&o.format, "format", "text", "output format: text (one page) or jsonl (one JSON object a page)")
}

// extracted is one page in -format jsonl; the field names are a stable
// interface for measuring extraction from outside.
type extracted struct {
	File  string `json:"file"`
	URL   string `json:"url"`
	Title string `json:"title"`
	Text  string `json:"text"`
	Error string `json:"error,omitempty"`
}

// cmdExtract prints the clean text of pages through the ingest code path.
func cmdExtract(ctx context.Context, e *env) error {
	rules, err := e.loadRules()
	if err != nil {
		return err
	}
	files := e.args
	jsonl := e.opts.format == "jsonl" || e.opts.format == "json" || len(files) > 1
	if len(files) == 0 {
		files = []string{"-"}
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, name := range files {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		out := extracted{File: name, URL: e.opts.url}
		page, err := e.extractFile(name, rules)
		if err != nil {
			failed++
			if !jsonl {
				return err
			}
			out.Error = err.Error()
		} else {
			out.Title, out.Text = page.Title, page.Text
		}
		if jsonl {
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(e.stdout, "%s\n\n%s\n", out.Title, out.Text)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d pages could not be extracted", failed, len(files))
	}
	return nil
}

func (e *env) extractFile(name string, rules *extract.Rules) (*extract.Result, error) {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(e.stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	page, err := pipeline.CleanPage(b, "", e.opts.url, rules)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return page, nil
}
