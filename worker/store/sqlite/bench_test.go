package sqlite

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

// benchText is a distinct ~400-word article for seed i.
func benchText(i int) string {
	var b strings.Builder
	for p := 0; p < 8; p++ {
		fmt.Fprintf(&b, "Paragraph %d of report %d. ", p, i)
		for w := 0; w < 10; w++ {
			fmt.Fprintf(&b, "Officials in region %d said measure %d would pass. ", (i+w)%97, i*13+p*7+w)
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

func benchSighting(f store.Feed, i int) store.Sighting {
	sg := testSighting(f, i)
	sg.Article.Text = benchText(i)
	sg.Article.ContentHash = fmt.Sprintf("bench-%d", i)
	sg.Print = dedup.Make(sg.Article.Text)
	return sg
}

// BenchmarkIngest measures one new article per op, near-duplicate lookup
// included, against an archive that grows by b.N.
func BenchmarkIngest(b *testing.B) {
	s := openTemp(b, Options{})
	feed := seedArchive(b, s, 0)
	ctx := context.Background()
	sgs := make([]store.Sighting, b.N)
	for i := range sgs {
		sgs[i] = benchSighting(feed, i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Ingest(ctx, sgs[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportHeap exports archives of two sizes and reports the peak
// live heap seen during the export (sampled after a GC every 2,000
// articles): streaming keeps it flat as the archive grows.
func BenchmarkExportHeap(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := openTemp(b, Options{})
			feed := seedArchive(b, s, 0)
			ctx := context.Background()
			for i := 0; i < n; i++ {
				sg := benchSighting(feed, i)
				sg.Print = dedup.Fingerprint{}
				if _, err := s.Ingest(ctx, sg); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			var peak uint64
			for i := 0; i < b.N; i++ {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapAlloc
				seen := 0
				err := s.Export(ctx, store.ExportFilter{}, func(store.Article) error {
					seen++
					if seen%2000 == 0 { // live heap: collect first
						runtime.GC()
						runtime.ReadMemStats(&ms)
						if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
							peak = ms.HeapAlloc - base
						}
					}
					return nil
				})
				if err != nil || seen != n {
					b.Fatalf("export: %d of %d, %v", seen, n, err)
				}
			}
			b.ReportMetric(float64(peak), "peak-heap-B")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/article")
		})
	}
}

// BenchmarkRawHTMLCost stores the shared corpus pages twice, with and
// without their raw page compressed as the pipeline does (gzip, BestSpeed),
// and reports what keeping the page costs per article in file bytes.
func BenchmarkRawHTMLCost(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "corpus", "extraction-dev", "html")
	files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(files) == 0 {
		b.Skip("shared corpus absent")
	}
	var pages [][]byte
	var rawBytes, brBytes int
	for _, f := range files {
		p, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		rawBytes += len(p)
		pages = append(pages, p)
		// For comparison only: what brotli at a moderate level would take.
		var buf bytes.Buffer
		bw := brotli.NewWriterLevel(&buf, 5)
		bw.Write(p)
		bw.Close()
		brBytes += buf.Len()
	}
	for i := 0; i < b.N; i++ {
		with, zBytes := archiveSize(b, pages, true)
		without, _ := archiveSize(b, pages, false)
		n := float64(len(pages))
		b.ReportMetric(float64(rawBytes)/n, "html-B/article")
		b.ReportMetric(float64(zBytes)/n, "gzip-B/article")
		b.ReportMetric(float64(brBytes)/n, "brotli5-B/article")
		b.ReportMetric(float64(with-without)/n, "file-B/article")
	}
}

// archiveSize ingests one article per page and returns the checkpointed
// file size and the compressed bytes handed to the store.
func archiveSize(b *testing.B, pages [][]byte, keepRaw bool) (int64, int) {
	b.Helper()
	s := openTemp(b, Options{})
	feed := seedArchive(b, s, 0)
	ctx := context.Background()
	z := 0
	for i, p := range pages {
		sg := benchSighting(feed, i)
		sg.SeenAt = time.Unix(int64(i), 0)
		if keepRaw {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
			zw.Write(p)
			zw.Close()
			sg.Article.RawHTML = buf.Bytes()
			z += buf.Len()
		}
		if _, err := s.Ingest(ctx, sg); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(s.path)
	if err != nil {
		b.Fatal(err)
	}
	return info.Size(), z
}
