package sqlite

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/internal/cputime"
	"github.com/wiresift/wiresift/worker/store"
)

// benchPages is n sightings of distinct stories, each with a 60 kB page.
func benchPages(feed store.Feed, n int) []store.Sighting {
	sgs := make([]store.Sighting, n)
	for i := range sgs {
		sgs[i] = benchSighting(feed, i)
		sgs[i].Article.Text = storyText(i)
		sgs[i].Print = dedup.Make(sgs[i].Article.Text)
		sgs[i].Article.RawHTML = rawPage(i, 60_000)
	}
	return sgs
}

// rawPage is a gzip-compressed pseudo-page of about n random-ish bytes,
// standing in for the page the pipeline keeps with each article.
func rawPage(seed, n int) []byte {
	r := rand.New(rand.NewPCG(uint64(seed), 1))
	words := []string{"<p>", "</p>", "the", "council", "said", "<div class=x>", "</div>", "vote", "budget", "tuesday"}
	var page bytes.Buffer
	for page.Len() < n {
		page.WriteString(words[r.IntN(len(words))])
		page.WriteByte(' ')
		page.WriteString(string(rune('a' + r.IntN(26))))
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
	zw.Write(page.Bytes())
	zw.Close()
	return z.Bytes()
}

// storyText is a distinct ~600-word story for seed i: words drawn from a
// Zipf-distributed vocabulary, so that stories share common words but, as
// distinct articles do, few near-duplicate keys.
func storyText(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 2))
	zipf := rand.NewZipf(r, 1.1, 1, 20_000)
	var b strings.Builder
	for p := 0; p < 10; p++ {
		for w := 0; w < 60; w++ {
			fmt.Fprintf(&b, "w%d ", zipf.Uint64())
		}
		b.WriteString(".\n\n")
	}
	return b.String()
}

// BenchmarkIngestCPU measures the store side of one new article per op, as
// the pipeline hands it over (text, fingerprint, compressed page), and
// reports CPU per article, which other load on the machine skews less than
// ns/op, and the bytes the process wrote per article (WAL frames and the
// checkpoints' copies: the kernel's share), which other load moves only
// through how the writes happen to group (a few percent). "serial" ingests one at a time (every ingest commits alone);
// "concurrent" has 8 goroutines ingesting at once with more articles
// coming, as the pipeline does, so the group writer batches them. Run with a fixed -benchtime (e.g. 2000x):
// the archive grows by b.N.
func BenchmarkIngestCPU(b *testing.B) {
	for _, tc := range []struct {
		name    string
		workers int
	}{{"serial", 1}, {"concurrent", 8}} {
		b.Run(tc.name, func(b *testing.B) {
			s := openTemp(b, Options{})
			feed := seedArchive(b, s, 0)
			ctx := context.Background()
			sgs := benchPages(feed, b.N)
			for i := range sgs {
				sgs[i].MoreComing = tc.workers > 1
			}
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			written0 := cputime.Written()
			before := cputime.Used()
			for range tc.workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := int(next.Add(1) - 1); i < b.N; i = int(next.Add(1) - 1) {
						if _, err := s.Ingest(ctx, sgs[i]); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			cpu := cputime.Used() - before
			written := cputime.Written() - written0
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/article")
			if written > 0 {
				b.ReportMetric(float64(written)/1e3/float64(b.N), "written-kB/article")
			}
		})
	}
}
