package sqlite

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// BenchmarkCensus counts 10,000 feeds as a poll does before its pass, after
// a pass has spread their next polls over the next hour.
func BenchmarkCensus(b *testing.B) {
	const feeds = 10_000
	s := openTemp(b, Options{})
	ctx := context.Background()
	syncBenchFeeds(b, s, feeds)
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now().Add(time.Second)
	claimed, err := s.ClaimDueFeeds(ctx, now, feeds, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	rs := make([]store.PollResult, len(claimed))
	for i, f := range claimed {
		rs[i] = store.PollResult{FeedID: f.ID, ETag: `"v1"`, PolledAt: now,
			NextPollAt: now.Add(time.Duration(rng.IntN(3600)) * time.Second), Status: 304, Lease: f.LeasedUntil}
	}
	for _, err := range s.SaveFeedStates(ctx, rs) {
		if err != nil {
			b.Fatal(err)
		}
	}
	at := now.Add(30 * time.Minute) // half the feeds due
	b.ResetTimer()
	for range b.N {
		c, err := s.Census(ctx, at)
		if err != nil || c.Due+c.NotDue != feeds {
			b.Fatalf("census %+v, %v", c, err)
		}
	}
}
