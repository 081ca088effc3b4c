package archtest

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestModuleKeepsItsImportRules is the guard itself: every import in the
// module's source must pass the rules of docs/architecture.md.
func TestModuleKeepsItsImportRules(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	imports, err := Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	// A scan that found nothing would pass vacuously.
	var sawExtract, sawCLI bool
	for _, im := range imports {
		sawExtract = sawExtract || im.Pkg == "worker/pipeline" && im.Path == "worker/extract"
		sawCLI = sawCLI || im.Pkg == "." && im.Path == "worker/cli"
	}
	if !sawExtract || !sawCLI {
		t.Fatalf("scan of %s missed known imports (pipeline→extract %v, main→cli %v): wrong root?", root, sawExtract, sawCLI)
	}
	for _, v := range Check(imports, Rules) {
		t.Error(v)
	}
}

// TestCheckFindsViolations feeds the checker fake imports, so the guard above
// is known to be able to fail.
func TestCheckFindsViolations(t *testing.T) {
	cases := []struct {
		name string
		im   Import
		want string // a word of the violated rule's reason; "" for allowed
	}{
		{"extractor importing the store", Import{Pkg: "worker/extract", Path: "worker/store"}, "no store"},
		{"extractor importing a concrete store", Import{Pkg: "worker/extract", Path: "worker/store/sqlite"}, "no store"},
		{"extractor fetching", Import{Pkg: "worker/extract", Path: "worker/fetch"}, "no network"},
		{"fetch importing the pipeline", Import{Pkg: "worker/fetch", Path: "worker/pipeline"}, "later one"},
		{"dedup importing the store", Import{Pkg: "worker/dedup", Path: "worker/store"}, "databases"},
		{"store importing the pipeline", Import{Pkg: "worker/store/sqlite", Path: "worker/pipeline"}, "drives the pipeline"},
		{"helper importing cli", Import{Pkg: "worker/textnorm", Path: "worker/cli"}, "below every stage"},
		{"pipeline importing sqlite", Import{Pkg: "worker/pipeline", Path: "worker/store/sqlite"}, "which database"},
		{"status importing postgres", Import{Pkg: "worker/status", Path: "worker/store/postgres"}, "which database"},
		{"pipeline importing metrics", Import{Pkg: "worker/pipeline", Path: "worker/metrics"}, "pipeline.Events"},
		{"anything importing cli", Import{Pkg: "worker/metrics", Path: "worker/cli"}, "only main.go"},
		{"runtime code importing a test kit", Import{Pkg: "worker/store/sqlite", File: "worker/store/sqlite/x.go", Path: "worker/internal/storetest"}, "test kits"},
		{"sitemap parser fetching", Import{Pkg: "worker/sitemap", Path: "worker/fetch"}, "bytes it is given"},
		{"sitemap parser importing the feed parser", Import{Pkg: "worker/sitemap", Path: "worker/feed"}, "bytes it is given"},
		{"robots importing the fetcher", Import{Pkg: "worker/robots", Path: "worker/fetch"}, "getter it is given"},
		{"robots importing the pipeline", Import{Pkg: "worker/robots", Path: "worker/pipeline"}, "getter it is given"},
		{"webhook importing a stage", Import{Pkg: "worker/webhook", Path: "worker/extract"}, "outbox holds"},
		{"webhook importing the pipeline", Import{Pkg: "worker/webhook", Path: "worker/pipeline"}, "outbox holds"},
		{"furniture reading the store", Import{Pkg: "worker/furniture", Path: "worker/store"}, "texts it is given"},
		{"furniture extracting pages", Import{Pkg: "worker/furniture", Path: "worker/extract"}, "texts it is given"},
		{"furniture calling the pipeline", Import{Pkg: "worker/furniture", Path: "worker/pipeline"}, "texts it is given"},
		{"htmlparse calling the extractor", Import{Pkg: "worker/htmlparse", Path: "worker/extract"}, "below every stage that parses"},
		{"htmlparse calling the pipeline", Import{Pkg: "worker/htmlparse", Path: "worker/pipeline"}, "below every stage that parses"},
		{"pipeline delivering webhooks", Import{Pkg: "worker/pipeline", Path: "worker/webhook"}, "outbox"},
		{"main importing a test kit", Import{Pkg: ".", File: "main.go", Path: "worker/internal/crashtest"}, "test kits"},

		{"a test of the pipeline on a real store", Import{Pkg: "worker/pipeline", Test: true, Path: "worker/store/sqlite"}, ""},
		{"a test importing a test kit", Import{Pkg: "worker/store/sqlite", Test: true, Path: "worker/internal/storetest"}, ""},
		{"a kit importing a kit", Import{Pkg: "worker/internal/bench", Path: "worker/internal/crashtest"}, ""},
		{"a kit importing sqlite", Import{Pkg: "worker/internal/bench", Path: "worker/store/sqlite"}, ""},
		{"cli wiring sqlite", Import{Pkg: "worker/cli", Path: "worker/store/sqlite"}, ""},
		{"main calling cli", Import{Pkg: ".", Path: "worker/cli"}, ""},
		{"pipeline using extract", Import{Pkg: "worker/pipeline", Path: "worker/extract"}, ""},
		{"store using dedup", Import{Pkg: "worker/store", Path: "worker/dedup"}, ""},
		{"feed using charset", Import{Pkg: "worker/feed", Path: "worker/charset"}, ""},
		{"webhook reading the outbox", Import{Pkg: "worker/webhook", Path: "worker/store"}, ""},
		{"pipeline reading sitemaps", Import{Pkg: "worker/pipeline", Path: "worker/sitemap"}, ""},
		{"article filtering furniture", Import{Pkg: "worker/article", Path: "worker/furniture"}, ""},
		{"extract parsing within the budget", Import{Pkg: "worker/extract", Path: "worker/htmlparse"}, ""},
		{"cli wiring the webhook", Import{Pkg: "worker/cli", Path: "worker/webhook"}, ""},
		{"another module", Import{Pkg: "worker/extract", Path: ""}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Check([]Import{c.im}, Rules)
			if c.want == "" {
				if len(got) != 0 {
					t.Fatalf("%s → %s: want allowed, got %v", c.im.Pkg, c.im.Path, got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("%s → %s: want a violation (%q), got none", c.im.Pkg, c.im.Path, c.want)
			}
			if !strings.Contains(got[0].Rule.Why, c.want) {
				t.Fatalf("%s → %s: want the rule saying %q, got %q", c.im.Pkg, c.im.Path, c.want, got[0].Rule.Why)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, pkg string
		want         bool
	}{
		{"worker/store/...", "worker/store", true},
		{"worker/store/...", "worker/store/sqlite", true},
		{"worker/store/...", "worker/storetest", false},
		{"worker/store", "worker/store/sqlite", false},
		{"...", ".", true},
		{"worker/netguard", "worker/netguard", true},
	}
	for _, c := range cases {
		if got := match(c.pattern, c.pkg); got != c.want {
			t.Errorf("match(%q, %q) = %v, want %v", c.pattern, c.pkg, got, c.want)
		}
	}
}

// TestScanReadsFilesAndTellsTestsApart scans a fixture module of its own.
func TestScanReadsFilesAndTellsTestsApart(t *testing.T) {
	imports, err := Scan(filepath.Join("testdata", "mod"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, im := range imports {
		if im.Path != "" {
			got[im.File+" "+im.Path] = im.Test
		}
	}
	want := map[string]bool{
		"worker/extract/bad.go worker/store":                 false,
		"worker/extract/x_test.go worker/internal/storetest": true,
		"main.go worker/cli":                                 false,
	}
	if len(got) != len(want) {
		t.Fatalf("scan found %v, want %v", got, want)
	}
	for k, isTest := range want {
		if v, ok := got[k]; !ok || v != isTest {
			t.Errorf("%s: found %v (test %v), want test %v", k, ok, v, isTest)
		}
	}
	v := Check(imports, Rules)
	if len(v) != 1 || v[0].Import.File != "worker/extract/bad.go" {
		t.Fatalf("violations %v, want just worker/extract/bad.go importing the store", v)
	}
}
