package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/cputime"
	"github.com/wiresift/wiresift/worker/internal/storetest"
	"github.com/wiresift/wiresift/worker/store"
)

// BenchmarkPollCycle measures the database's share of a steady-state poll
// pass, per feed: claim a batch of due feeds, then save their states (a 304
// each, next poll at a random later time) in one batch, over 10,000 feeds.
// "dated-20" feeds carry twenty item dates, what a feed keeps of a document
// of twenty items or more (schedule.DatesToKeep); "dated-50" fifty, as an
// archive from before that kept every date; "undated" ones none.
func BenchmarkPollCycle(b *testing.B) {
	for _, tc := range []struct {
		name  string
		dates int
		alone bool // leases in memory, as poll and run claim (ClaimAlone)
	}{{"undated", 0, false}, {"undated-alone", 0, true}, {"dated-20", 20, false}, {"dated-50", 50, false}, {"dated-50-alone", 50, true}} {
		b.Run(tc.name, func(b *testing.B) { benchmarkPollCycle(b, tc.dates, tc.alone) })
	}
}

func benchmarkPollCycle(b *testing.B, itemDates int, alone bool) {
	const feeds, batch = 10_000, 64
	s := openTemp(b, Options{})
	ctx := context.Background()
	syncBenchFeeds(b, s, feeds)
	if alone {
		if _, err := s.ClaimAlone(ctx); err != nil {
			b.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now().Add(time.Second)
	if itemDates > 0 {
		storetest.SaveItemDates(b, s, now, storetest.HoursBefore(now, itemDates))
		if _, err := s.MakeAllDue(ctx, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	cpu := cputime.Used()
	defer func() {
		b.ReportMetric(float64((cputime.Used()-cpu).Microseconds())/float64(b.N), "cpu-µs/feed")
	}()
	for done := 0; done < b.N; {
		claimed, err := s.ClaimDueFeeds(ctx, now, batch, time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if len(claimed) == 0 { // all polled: the next pass
			now = now.Add(48 * time.Hour)
			continue
		}
		if itemDates > 0 && len(claimed[0].ItemDates) != itemDates {
			b.Fatalf("claimed feed has %d item dates; want %d", len(claimed[0].ItemDates), itemDates)
		}
		rs := make([]store.PollResult, len(claimed))
		for i, f := range claimed {
			rs[i] = store.PollResult{FeedID: f.ID, ETag: `"v1"`, // a 304 keeps the state
				PolledAt: now, NextPollAt: now.Add(time.Hour + time.Duration(rng.IntN(3600))*time.Second),
				Status: 304, Lease: f.LeasedUntil}
		}
		for i, err := range s.SaveFeedStates(ctx, rs) {
			if err != nil {
				b.Fatalf("save %d: %v", i, err)
			}
		}
		done += len(claimed)
	}
}

// benchFeedConfigs lists n feeds on an unreachable loopback port.
func benchFeedConfigs(n int) []store.FeedConfig {
	cfgs := make([]store.FeedConfig, n)
	for i := range cfgs {
		cfgs[i] = store.FeedConfig{URL: fmt.Sprintf("http://127.0.0.1:1/feed/%d.xml", i)}
	}
	return cfgs
}

// syncBenchFeeds adds benchFeedConfigs(n) to s.
func syncBenchFeeds(b testing.TB, s *Store, n int) {
	b.Helper()
	if err := s.SyncFeeds(context.Background(), benchFeedConfigs(n)); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPollPass is the store's share of a whole `wiresift poll` over
// 10,000 feeds that all answer 304, as the binary does it: open the
// archive, sync an unchanged feed list, claim alone (the lock file's
// holder), count the feeds (Census), claim every due feed 256 at a time and
// save their states 256 at a time, close.
// Each iteration is one pass on a database that the previous one closed.
func BenchmarkPollPass(b *testing.B) {
	const feeds = 10_000
	path := filepath.Join(b.TempDir(), "wiresift.db")
	ctx := context.Background()
	cfgs := benchFeedConfigs(feeds)
	open := func() *Store {
		s, err := OpenWith(ctx, path, schemaText(b), Options{})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	s := open()
	if err := s.SyncFeeds(ctx, cfgs); err != nil {
		b.Fatal(err)
	}
	s.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now().Add(time.Second)
	b.ResetTimer()
	cpu := cputime.Used()
	for range b.N {
		s := open()
		if err := s.SyncFeeds(ctx, cfgs); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ClaimAlone(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Census(ctx, now); err != nil {
			b.Fatal(err)
		}
		var rs []store.PollResult
		save := func() {
			for i, err := range s.SaveFeedStates(ctx, rs) {
				if err != nil {
					b.Fatalf("save %d: %v", i, err)
				}
			}
			rs = rs[:0]
		}
		polled := 0
		for {
			claimed, err := s.ClaimDueFeeds(ctx, now, 256, time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			if len(claimed) == 0 {
				break
			}
			for _, f := range claimed {
				next := now.Add(time.Hour + time.Duration(rng.IntN(3600))*time.Second)
				rs = append(rs, store.PollResult{FeedID: f.ID, ETag: `"v1"`, PolledAt: now,
					NextPollAt: next, Status: 304, Lease: f.LeasedUntil})
			}
			if len(rs) >= 256 {
				save()
			}
			polled += len(claimed)
		}
		save()
		if polled != feeds {
			b.Fatalf("pass polled %d feeds; want %d", polled, feeds)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		now = now.Add(48 * time.Hour)
	}
	b.ReportMetric(float64((cputime.Used()-cpu).Microseconds())/float64(b.N*feeds), "cpu-µs/feed")
}
