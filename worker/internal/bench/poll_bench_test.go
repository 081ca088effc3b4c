package bench

import (
	"context"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/bench/bareclient"
	"github.com/wiresift/wiresift/worker/store"
)

// pollFeeds is the steady-state deployment the issue names.
const pollFeeds = 10_000

// BenchmarkPoll304 times one PollDue pass over 10,000 due feeds that all
// answer 304 Not Modified, and in the same run a bare net/http client
// issuing the same 10,000 conditional GETs at the same concurrency (the
// physical limit here). pipeline/bare is the ratio of their rates (target
// >= 0.5).
func BenchmarkPoll304(b *testing.B) {
	site := &Site{Feeds: pollFeeds, Items: 0}
	site.Start()
	defer site.Close()
	st := openStore(b, b.TempDir())
	defer st.Close()
	ctx := context.Background()

	cfgs := make([]store.FeedConfig, pollFeeds)
	for f, u := range site.FeedURLs() {
		cfgs[f] = store.FeedConfig{URL: u}
	}
	syncStart := time.Now()
	if err := st.SyncFeeds(ctx, cfgs); err != nil {
		b.Fatal(err)
	}
	syncTime := time.Since(syncStart)

	c := &clock{now: time.Now().Add(time.Second)}
	p := newPipeline(b, st, c.Now)
	// First pass: every feed answers 200 with its ETag, which the store keeps.
	if sum, err := p.PollDue(ctx, nil); err != nil || sum.FeedsPolled != pollFeeds || sum.Errors != 0 {
		b.Fatalf("first pass: polled %d feeds, %d errors, err %v; want %d, 0, nil", sum.FeedsPolled, sum.Errors, err, pollFeeds)
	}

	var pipe, bare Delta
	b.ResetTimer()
	for range b.N {
		c.now = c.now.Add(48 * time.Hour) // past any interval the scheduler picks: all due again
		before, hits := Snapshot(), site.Counts().NotModified
		sum, err := p.PollDue(ctx, nil)
		d := Snapshot().Since(before)
		if err != nil || sum.NotModified != pollFeeds || site.Counts().NotModified-hits != pollFeeds {
			b.Fatalf("304 pass: %d of %d feeds not modified (server answered %d 304s), err %v; want all",
				sum.NotModified, pollFeeds, site.Counts().NotModified-hits, err)
		}
		addDelta(&pipe, d)

		b.StopTimer()
		before, hits = Snapshot(), site.Counts().NotModified
		bareConditionalGETs(b, site.FeedURLs(), *flagConcurrency)
		addDelta(&bare, Snapshot().Since(before))
		if got := site.Counts().NotModified - hits; got != pollFeeds {
			b.Fatalf("bare client: server answered %d 304s; want %d", got, pollFeeds)
		}
		b.StartTimer()
	}
	b.StopTimer()
	n := float64(pollFeeds * b.N)
	pipeRate, bareRate := n/pipe.Wall.Seconds(), n/bare.Wall.Seconds()
	b.ReportMetric(syncTime.Seconds(), "s-sync-10k-feeds")
	b.ReportMetric(pipeRate, "feeds/s")
	b.ReportMetric(bareRate, "feeds/s-bare")
	b.ReportMetric(pipeRate/bareRate, "pipeline/bare")
	b.ReportMetric(pipe.CPU.Seconds()*1e6/n, "cpu-µs/feed")
	b.ReportMetric(bare.CPU.Seconds()*1e6/n, "cpu-µs/feed-bare")
	b.ReportMetric((bare.CPU.Seconds()/n)/(pipe.CPU.Seconds()/n), "pipeline/bare-cpu")
}

func addDelta(sum *Delta, d Delta) {
	sum.Wall += d.Wall
	sum.CPU += d.CPU
	sum.Mallocs += d.Mallocs
	sum.Bytes += d.Bytes
}

// bareConditionalGETs sends one If-None-Match GET per URL from workers
// goroutines over one keep-alive client, in this process.
func bareConditionalGETs(tb testing.TB, urls []string, workers int) {
	tb.Helper()
	if n := bareclient.ConditionalGETs(urls, ETag, workers); n > 0 {
		tb.Fatalf("bare client: %d of %d conditional GETs did not answer 304", n, len(urls))
	}
}
