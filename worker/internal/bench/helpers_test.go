package bench

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/netguard"
	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store/sqlite"
)

// Knobs, after -args: go test -bench Ingest ./worker/internal/bench -args -feeds 16 -items 100
var (
	flagFeeds       = flag.Int("feeds", 8, "BenchmarkIngest: feeds served")
	flagItems       = flag.Int("items", 39, "BenchmarkIngest: items per feed")
	flagConcurrency = flag.Int("concurrency", 8, "pipeline Concurrency (the CLI default is 8)")
	flagKeepRaw     = flag.Bool("keep-raw", true, "pipeline KeepRaw (the CLI default is true)")
)

// corpusDir is the real article pages, beside the repository.
const corpusDir = "../../../../shared/corpus/extraction-dev/html"

// benchPages returns the real corpus pages, or generated ones when the
// corpus is absent (fromCorpus says which).
func benchPages(tb testing.TB) (pages [][]byte, fromCorpus bool) {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err == nil {
		pages, err := LoadPages(corpusDir)
		if err != nil {
			tb.Fatal(err)
		}
		if len(pages) > 0 {
			return pages, true
		}
	}
	return GeneratePages(300), false
}

func schema(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("../../../schema.sql")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func openStore(tb testing.TB, dir string) *sqlite.Store {
	tb.Helper()
	return openStoreAt(tb, filepath.Join(dir, "bench.db"))
}

func openStoreAt(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), path, schema(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// loopbackFetcher is the real fetch client allowed onto 127.0.0.1, with no
// politeness gap and room for every request at once: all pages live on one
// test host.
func loopbackFetcher(tb testing.TB) *fetch.Client {
	tb.Helper()
	allow, err := netguard.ParseAllowlist("127.0.0.1/32")
	if err != nil {
		tb.Fatal(err)
	}
	return fetch.New(fetch.Config{Allow: allow, PerHostGap: -1, PerHostConcurrency: 1024, Timeout: time.Minute})
}

// clock is a settable time source for the pipeline's scheduler.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newPipeline(tb testing.TB, st *sqlite.Store, now func() time.Time) *pipeline.Pipeline {
	return pipeline.New(pipeline.Config{
		Store: st, Fetcher: loopbackFetcher(tb), Concurrency: *flagConcurrency,
		KeepRaw: *flagKeepRaw, Now: now,
	})
}

func totalBytes(pages [][]byte) int64 {
	var n int64
	for _, p := range pages {
		n += int64(len(p))
	}
	return n
}

func cores() int { return runtime.GOMAXPROCS(0) }
