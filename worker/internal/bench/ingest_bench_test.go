package bench

import (
	"context"
	"testing"

	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// BenchmarkIngest backfills -feeds x -items distinct real article pages
// through the whole pipeline (fetch, feed parse, extract, fingerprint,
// dedup, SQLite with FTS) and, in the same run, parses the same pages with
// bare html.Parse on as many goroutines as cores. pipeline/parse is the
// ratio of the two throughputs (target >= 0.40). The server runs in this
// process, so its CPU is in the pipeline's figures and not in the parse's.
func BenchmarkIngest(b *testing.B) {
	pages, fromCorpus := benchPages(b)
	n := *flagFeeds * *flagItems
	served := make([][]byte, n)
	for k := range served {
		// Past the corpus, each copy is a different story (see Variant).
		served[k] = Variant(pages[k%len(pages)], k/len(pages))
	}
	if !fromCorpus {
		b.Log("corpus absent: generated pages")
	}
	b.ReportAllocs()
	b.SetBytes(totalBytes(served))
	var sum ingestRun
	for range b.N {
		sum.add(ingestOnce(b, served, *flagFeeds, *flagItems))
	}
	b.StopTimer()
	parse, err := BareParse(served, cores(), 3)
	if err != nil {
		b.Fatal(err)
	}
	parseRate := parse.BytesPerSec
	pipeCPUPerByte := sum.delta.CPU.Seconds() / float64(sum.htmlBytes)
	secs := sum.delta.Wall.Seconds()
	articlesPerSec := float64(sum.articles) / secs
	pipeRate := float64(sum.htmlBytes) / secs
	b.ReportMetric(articlesPerSec, "articles/s")
	b.ReportMetric(pipeRate/1e6, "MB/s-html")
	b.ReportMetric(parseRate/1e6, "MB/s-bare-parse")
	b.ReportMetric(pipeRate/parseRate, "pipeline/parse")
	// The same ratio on CPU time, which other load on the machine does not skew.
	b.ReportMetric(parse.CPUPerByte/pipeCPUPerByte, "pipeline/parse-cpu")
	b.ReportMetric(sum.delta.CPU.Seconds()*1000/float64(sum.articles), "cpu-s/1000-articles")
	b.ReportMetric(float64(sum.delta.Mallocs)/float64(sum.articles), "allocs/article")
	b.ReportMetric(float64(sum.delta.Bytes)/float64(sum.articles)/1e6, "alloc-MB/article")
	b.ReportMetric(float64(Snapshot().MaxRSS)/1e6, "peak-RSS-MB")
	b.ReportMetric(articlesPerSec/160, "x-miniflux-tuned")
}

// ingestRun is what one backfill did.
type ingestRun struct {
	articles  int
	htmlBytes int64
	delta     Delta
}

func (r *ingestRun) add(o ingestRun) {
	r.articles += o.articles
	r.htmlBytes += o.htmlBytes
	r.delta.Wall += o.delta.Wall
	r.delta.CPU += o.delta.CPU
	r.delta.Mallocs += o.delta.Mallocs
	r.delta.Bytes += o.delta.Bytes
}

// ingestOnce serves pages (page k is item k%items of feed k/items) and
// backfills them into a fresh store; it fails unless every page became its
// own article.
func ingestOnce(tb testing.TB, pages [][]byte, feeds, items int) ingestRun {
	tb.Helper()
	site := &Site{Feeds: feeds, Items: items, Page: func(f, i int) []byte { return pages[f*items+i] }}
	site.Start()
	defer site.Close()
	st := openStore(tb, tb.TempDir())
	defer st.Close()
	ctx := context.Background()
	var cfgs []store.FeedConfig
	for _, u := range site.FeedURLs() {
		cfgs = append(cfgs, store.FeedConfig{URL: u})
	}
	if err := st.SyncFeeds(ctx, cfgs); err != nil {
		tb.Fatal(err)
	}
	p := newPipeline(tb, st, nil)
	if b, ok := tb.(*testing.B); ok {
		b.ResetTimer() // the timed part is the backfill alone
	}
	before := Snapshot()
	sum, err := p.Backfill(ctx, nil, "", pipeline.History{MaxPages: 1})
	delta := Snapshot().Since(before)
	if err != nil {
		tb.Fatal(err)
	}
	if sum.NewArticles != len(pages) || sum.Errors != 0 {
		tb.Fatalf("backfill of %d distinct pages: got %d new articles, %d duplicates %v, %d errors; want %d new, 0 errors",
			len(pages), sum.NewArticles, sum.Duplicates, sum.ByReason, sum.Errors, len(pages))
	}
	return ingestRun{articles: sum.NewArticles, htmlBytes: site.Counts().PageBytes, delta: delta}
}
