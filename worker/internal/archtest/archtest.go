// Package archtest holds the import rules of docs/architecture.md and a
// checker for them, so that the layering stays true as the code changes: a
// test walks the module's source files and fails on any import a rule forbids.
package archtest

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Module is the import path of this module.
const Module = "github.com/wiresift/wiresift"

// Import is one import of one source file, by module-relative package path
// ("worker/extract"; the module root is ".").
type Import struct {
	Pkg  string // the importing package
	File string // the file, relative to the module root
	Test bool   // the file is a _test.go file
	Path string // the imported package, module-relative ("" for other modules)
}

// Rule forbids the non-test files of packages matching From to import
// packages matching To; tests may wire real stores and stages together. A
// pattern is a package path, or a path ending in "/..." for it and every
// package below it. Why says why the rule exists, for the failure message.
type Rule struct {
	From, To []string
	Unless   []string // importers the rule does not apply to
	Why      string
}

// stages is the pipeline in the order data flows (fetch → feed → extract →
// dedup → store); the helpers they share sit below all of them.
var (
	helpers = []string{"worker/charset", "worker/textnorm", "worker/urlnorm", "worker/netguard",
		"worker/httpcache", "worker/schedule", "worker/feedlist"}
	upper = []string{"worker/pipeline/...", "worker/cli/...", "worker/metrics/...", "worker/status/..."}
	kits  = []string{"worker/internal/bench/...", "worker/internal/crashtest/...", "worker/internal/storetest/...",
		"worker/internal/dedupeval/...", "worker/internal/pgtest/...", "worker/internal/golden/...",
		"worker/internal/diskfill/...", "worker/internal/cputime/..."}
)

// Rules are the import rules of docs/architecture.md.
var Rules = []Rule{
	{
		From: helpers,
		To:   append([]string{"worker/fetch/...", "worker/feed/...", "worker/extract/...", "worker/dedup/...", "worker/store/..."}, upper...),
		Why:  "shared helpers sit below every stage and know none of them",
	},
	{
		From: []string{"worker/fetch/..."},
		To:   append([]string{"worker/feed/...", "worker/extract/...", "worker/dedup/...", "worker/store/..."}, upper...),
		Why:  "data flows fetch → feed → extract → dedup → store: a stage never calls a later one",
	},
	{
		From: []string{"worker/feed/..."},
		To:   append([]string{"worker/fetch/...", "worker/extract/...", "worker/dedup/...", "worker/store/..."}, upper...),
		Why:  "the feed parser works on bytes it is given and knows no later stage",
	},
	{
		From: []string{"worker/extract/..."},
		To:   append([]string{"worker/fetch/...", "worker/netguard", "worker/feed/...", "worker/dedup/...", "worker/store/..."}, upper...),
		Why:  "extraction works on a page it is given: no network, no feed, no store",
	},
	{
		// dedup/policy reads a parsed feed.Item to make an item's identity
		// key, so the feed's types are allowed; fetching and pages are not.
		From: []string{"worker/dedup/..."},
		To:   append([]string{"worker/fetch/...", "worker/extract/...", "worker/store/..."}, upper...),
		Why:  "deduplication works on texts, items and keys it is given, not on pages or databases",
	},
	{
		From: []string{"worker/store/..."},
		To:   append([]string{"worker/fetch/...", "worker/netguard", "worker/feed/...", "worker/extract/..."}, upper...),
		Why:  "the store keeps and decides; it neither fetches nor extracts nor drives the pipeline",
	},
	{
		From: []string{"worker/sitemap/..."},
		To:   append([]string{"worker/fetch/...", "worker/netguard", "worker/feed/...", "worker/extract/...", "worker/dedup/...", "worker/store/...", "worker/robots/...", "worker/webhook/..."}, upper...),
		Why:  "the sitemap parser, like the feed parser, works on bytes it is given and knows no stage",
	},
	{
		// The cache fetches robots.txt through a getter the pipeline hands
		// it, so it gets the fetcher's guard and limits without knowing it.
		From: []string{"worker/robots/..."},
		To:   append([]string{"worker/fetch/...", "worker/netguard", "worker/feed/...", "worker/sitemap/...", "worker/extract/...", "worker/dedup/...", "worker/store/...", "worker/webhook/..."}, upper...),
		Why:  "robots.txt rules are parsed from bytes and fetched through a getter it is given: no client, no stage",
	},
	{
		From: []string{"worker/webhook/..."},
		To: append([]string{"worker/fetch/...", "worker/netguard", "worker/feed/...", "worker/sitemap/...", "worker/robots/...",
			"worker/article/...", "worker/extract/...", "worker/dedup/..."}, upper...),
		Why: "the webhook delivers what the store's outbox holds: it reads no feed or page and runs beside the pipeline, not in it",
	},
	{
		// article feeds it a page's extracted text and asks it to filter
		// that text; it learns from nothing else.
		From: []string{"worker/furniture/..."},
		To: append([]string{"worker/fetch/...", "worker/netguard", "worker/feed/...", "worker/sitemap/...", "worker/robots/...",
			"worker/article/...", "worker/extract/...", "worker/dedup/...", "worker/store/...", "worker/webhook/..."}, upper...),
		Why: "furniture learning works on the texts it is given: no page, no fetch, no store",
	},
	{
		// extract, feed, article and pipeline parse with it, so it must
		// sit below all of them.
		From: []string{"worker/htmlparse/..."},
		To: append([]string{"worker/fetch/...", "worker/netguard", "worker/feed/...", "worker/sitemap/...", "worker/robots/...",
			"worker/article/...", "worker/extract/...", "worker/furniture/...", "worker/dedup/...", "worker/store/...", "worker/webhook/..."}, upper...),
		Why: "the budgeted parser works on the bytes it is given, below every stage that parses",
	},
	{
		From: []string{"worker/pipeline/..."},
		To:   []string{"worker/webhook/..."},
		Why:  "ingest only writes events into the store's outbox; delivering them is the webhook's, wired by cli",
	},
	{
		From:   []string{"..."},
		To:     []string{"worker/store/sqlite/...", "worker/store/postgres/..."},
		Unless: []string{"worker/store/...", "worker/cli/...", "worker/internal/..."},
		Why:    "only the wiring knows which database is behind store's interfaces",
	},
	{
		From:   []string{"..."},
		To:     []string{"worker/cli/..."},
		Unless: []string{".", "worker/cli/..."},
		Why:    "worker/cli is the program; only main.go calls it",
	},
	{
		From: []string{"worker/pipeline/..."},
		To:   []string{"worker/cli/...", "worker/metrics/...", "worker/status/..."},
		Why:  "the pipeline reports through pipeline.Events; metrics and status listen, the pipeline does not know them",
	},
	{
		From:   []string{"..."},
		To:     kits,
		Unless: []string{"worker/internal/..."},
		Why:    "test kits are for tests; the program must not ship them",
	},
}

// Violation is an import a rule forbids.
type Violation struct {
	Import Import
	Rule   Rule
}

func (v Violation) String() string {
	return fmt.Sprintf("%s imports %s: %s", v.Import.File, v.Import.Path, v.Rule.Why)
}

// Check returns the imports that break a rule, in file order.
func Check(imports []Import, rules []Rule) []Violation {
	var out []Violation
	for _, im := range imports {
		if im.Path == "" || im.Test {
			continue
		}
		for _, r := range rules {
			if matchAny(r.From, im.Pkg) && matchAny(r.To, im.Path) && !matchAny(r.Unless, im.Pkg) {
				out = append(out, Violation{Import: im, Rule: r})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Import.File < out[j].Import.File })
	return out
}

func matchAny(patterns []string, pkg string) bool {
	for _, p := range patterns {
		if match(p, pkg) {
			return true
		}
	}
	return false
}

// match reports whether pkg is p, or below p when p ends in "/...";
// "..." alone matches every package of the module.
func match(p, pkg string) bool {
	if p == "..." {
		return true
	}
	if base, ok := strings.CutSuffix(p, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == p
}

// Scan reads the imports of every .go file under root, the module's
// directory, skipping testdata and hidden directories.
func Scan(root string) ([]Import, error) {
	var out []Import
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, rel, src, parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("archtest: %w", err)
		}
		pkg := path.Dir(rel)
		for _, spec := range f.Imports {
			ip, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return fmt.Errorf("archtest: %s: bad import %s", rel, spec.Path.Value)
			}
			out = append(out, Import{Pkg: pkg, File: rel, Test: strings.HasSuffix(name, "_test.go"), Path: local(ip)})
		}
		return nil
	})
	return out, err
}

// local turns an import path of this module into a module-relative one, and
// any other into "".
func local(ip string) string {
	if ip == Module {
		return "."
	}
	if rest, ok := strings.CutPrefix(ip, Module+"/"); ok {
		return rest
	}
	return ""
}
