package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"

	"github.com/wiresift/wiresift/worker/article"
	"github.com/wiresift/wiresift/worker/extract"
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
	for out := range e.extractAll(ctx, files, rules) {
		if out.Error != "" {
			failed++
			if !jsonl {
				return errors.New(out.Error)
			}
		}
		if jsonl {
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(e.stdout, "%s\n\n%s\n", out.Title, out.Text)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d pages could not be extracted", failed, len(files))
	}
	return nil
}

// extractAll extracts the files on every core and yields them in the order
// given, so that the output is the same whatever finishes first. Results
// wait for their turn; pages in flight are bounded by the number of cores.
func (e *env) extractAll(ctx context.Context, files []string, rules *extract.Rules) iter.Seq[extracted] {
	return func(yield func(extracted) bool) {
		results := make([]chan extracted, len(files))
		for i := range results {
			results[i] = make(chan extracted, 1)
		}
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			slots := make(chan struct{}, runtime.GOMAXPROCS(0))
			for i, name := range files {
				select {
				case slots <- struct{}{}:
				case <-stop:
					return
				case <-ctx.Done():
					return
				}
				go func() {
					defer func() { <-slots }()
					out := extracted{File: name, URL: e.opts.url}
					if page, err := e.extractFile(name, rules); err != nil {
						out.Error = err.Error()
					} else {
						out.Title, out.Text = page.Title, page.Text
					}
					results[i] <- out
				}()
			}
		}()
		for _, r := range results {
			select {
			case out := <-r:
				if !yield(out) {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}
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
	page, err := article.CleanPage(b, "", e.opts.url, rules)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return page, nil
}
