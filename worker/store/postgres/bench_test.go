package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// BenchmarkIngestDistinctStories measures ingest throughput of new articles
// from parallel goroutines sharing one pool: unrelated stories share no
// advisory lock, so they should not queue behind each other.
func BenchmarkIngestDistinctStories(b *testing.B) {
	s, _ := openTest(b)
	f := addFeeds(b, s, 1)["http://feeds.test/0"]
	ctx := context.Background()
	var next int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := nextID(&next)
			text := distinctStory(int(n))
			sg := sighting(f, fmt.Sprint("item-", n), fmt.Sprintf("http://site.test/%d", n), text)
			if _, err := s.Ingest(ctx, sg); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkClaimDueFeeds measures one claim of 10 of 1,000 due feeds. A
// zero lease leaves them claimable again, so every iteration does the same work.
func BenchmarkClaimDueFeeds(b *testing.B) {
	s, _ := openTest(b)
	addFeeds(b, s, 1000)
	ctx := context.Background()
	now := time.Now().Add(time.Second)
	b.ResetTimer()
	for range b.N {
		if feeds, err := s.ClaimDueFeeds(ctx, now, 10, 0); err != nil || len(feeds) != 10 {
			b.Fatalf("ClaimDueFeeds: %d feeds, %v; want 10", len(feeds), err)
		}
	}
}

// BenchmarkClaimAndRelease measures one claim of 10 due feeds and the saves
// that release them: the scheduling overhead per polled feed.
func BenchmarkClaimAndRelease(b *testing.B) {
	s, _ := openTest(b)
	addFeeds(b, s, 1000)
	ctx := context.Background()
	now := time.Now().Add(time.Second)
	b.ResetTimer()
	for range b.N {
		feeds, err := s.ClaimDueFeeds(ctx, now, 10, time.Minute)
		if err != nil || len(feeds) == 0 {
			b.Fatalf("ClaimDueFeeds: %d feeds, %v", len(feeds), err)
		}
		for _, f := range feeds {
			// Due again at once, so the pool of due feeds never runs dry.
			if err := s.SaveFeedState(ctx, store.PollResult{FeedID: f.ID, PolledAt: now, NextPollAt: now}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkExportMemory streams an archive and reports the heap in use at
// the end of the stream per article: flat (not growing with the archive)
// means Export does not hold what it has already handed out.
func BenchmarkExportMemory(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprint(n, "-articles"), func(b *testing.B) {
			s, _ := openTest(b)
			f := addFeeds(b, s, 1)["http://feeds.test/0"]
			ctx := context.Background()
			for i := range n {
				text := distinctStory(i)
				if _, err := s.Ingest(ctx, sighting(f, fmt.Sprint("item-", i), fmt.Sprintf("http://site.test/%d", i), text)); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			var peak uint64
			for range b.N {
				count := 0
				err := s.Export(ctx, store.ExportFilter{}, func(store.Article) error {
					count++
					if count == n/2 || count == n { // the live heap mid-stream and at the end
						runtime.GC()
						var m runtime.MemStats
						runtime.ReadMemStats(&m)
						peak = max(peak, m.HeapInuse)
					}
					return nil
				})
				if err != nil || count != n {
					b.Fatalf("Export: %d articles, %v; want %d", count, err, n)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/article")
		})
	}
}

func nextID(p *int64) int64 { return atomic.AddInt64(p, 1) }

// distinctStory is a text of about 150 words drawn from a large vocabulary
// with seed n, so that no two share a near-duplicate key by accident.
func distinctStory(n int) string {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	var b strings.Builder
	for i := range 150 {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "w%x", r.IntN(1<<20))
	}
	return b.String()
}
