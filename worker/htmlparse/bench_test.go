package htmlparse

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/cputime"
	"golang.org/x/net/html"
)

// extractionPages are the extraction-dev corpus pages, the pages that the
// ingest benchmarks serve.
func extractionPages(b *testing.B) [][]byte {
	b.Helper()
	files, _ := filepath.Glob("../../../shared/corpus/extraction-dev/html/*.html")
	if len(files) == 0 {
		b.Skip("no corpus at ../shared/corpus")
	}
	var pages [][]byte
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, page)
	}
	return pages
}

// BenchmarkParseCorpus: one op is a parse of every extraction-dev page,
// by this package (within Default) and by html.Parse.
func BenchmarkParseCorpus(b *testing.B) {
	pages := extractionPages(b)
	size := 0
	for _, p := range pages {
		size += len(p)
	}
	run := func(parse func([]byte) error) func(*testing.B) {
		return func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			c0 := cputime.Used()
			for range b.N {
				for _, p := range pages {
					if err := parse(p); err != nil {
						b.Fatal(err)
					}
				}
			}
			cpu := cputime.Used() - c0
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*len(pages)), "cpu-µs/page")
		}
	}
	b.Run("htmlparse", run(func(p []byte) error { _, err := Default.Parse(p, nil); return err }))
	b.Run("xnet", run(func(p []byte) error { _, err := html.Parse(bytes.NewReader(p)); return err }))
}
