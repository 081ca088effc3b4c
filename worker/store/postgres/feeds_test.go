package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

func TestClaimDueFeedsFromSeveralPoolsIsDisjointAndComplete(t *testing.T) {
	ctx := context.Background()
	first, dsn := openTest(t)
	const feeds, workers, batch = 200, 4, 7
	addFeeds(t, first, feeds)
	now := time.Now()

	claimed := make([][]int64, workers)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		s := openDSN(t, dsn) // its own pool, as a separate process would have
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.ClaimDueFeeds(ctx, now, batch, time.Hour)
				if err != nil {
					errs[w] = err
					return
				}
				if len(got) == 0 {
					return
				}
				for _, f := range got {
					claimed[w] = append(claimed[w], f.ID)
				}
			}
		}()
	}
	wg.Wait()
	owner := map[int64]int{}
	for w, ids := range claimed {
		if errs[w] != nil {
			t.Fatalf("worker %d: ClaimDueFeeds: %v", w, errs[w])
		}
		for _, id := range ids {
			if prev, dup := owner[id]; dup {
				t.Errorf("feed %d claimed by workers %d and %d, want exactly one", id, prev, w)
			}
			owner[id] = w
		}
	}
	if len(owner) != feeds {
		t.Errorf("%d feeds claimed in all, want %d", len(owner), feeds)
	}
}

func TestLeaseHeldUntilSavedOrExpired(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addFeeds(t, s, 2)
	now := time.Now().Add(time.Second).Truncate(time.Microsecond)
	lease := 5 * time.Minute

	got, err := s.ClaimDueFeeds(ctx, now, 10, lease)
	if err != nil || len(got) != 2 {
		t.Fatalf("first claim: %d feeds, err %v; want 2, nil", len(got), err)
	}
	if want := now.Add(lease); !got[0].LeasedUntil.Equal(want) {
		t.Errorf("LeasedUntil = %v, want %v", got[0].LeasedUntil, want)
	}
	again, err := s.ClaimDueFeeds(ctx, now.Add(time.Minute), 10, lease)
	if err != nil || len(again) != 0 {
		t.Fatalf("claim while leased: %d feeds, err %v; want 0, nil", len(again), err)
	}

	// Feed 0 is polled and saved (due again at once); feed 1's worker dies.
	saved := got[0]
	err = s.SaveFeedState(ctx, store.PollResult{
		FeedID: saved.ID, URL: saved.URL, State: store.FeedActive, Status: 200,
		PolledAt: now.Add(time.Minute), NextPollAt: now.Add(time.Minute),
	})
	if err != nil {
		t.Fatalf("SaveFeedState: %v", err)
	}
	tests := []struct {
		name string
		at   time.Time
		want []int64
	}{
		{"released by save", now.Add(2 * time.Minute), []int64{saved.ID}},
		{"reclaimed after expiry", now.Add(lease + time.Second), []int64{got[1].ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := s.ClaimDueFeeds(ctx, tt.at, 10, lease)
			if err != nil {
				t.Fatalf("ClaimDueFeeds: %v", err)
			}
			if ids := feedIDs(c); fmt.Sprint(ids) != fmt.Sprint(tt.want) {
				t.Errorf("claimed %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestClaimSkipsInactiveAndNotYetDueFeeds(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	added := time.Now()
	feeds := addFeeds(t, s, 4)
	now := added.Add(time.Second)
	if err := s.SetFeedState(ctx, "http://feeds.test/0", store.FeedGone); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, "http://feeds.test/1"); err != nil {
		t.Fatal(err)
	}
	later := feeds["http://feeds.test/2"]
	if err := s.SaveFeedState(ctx, store.PollResult{FeedID: later.ID, URL: later.URL,
		State: store.FeedActive, PolledAt: now, NextPollAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ClaimDueFeeds(ctx, now, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if ids, want := feedIDs(got), []int64{feeds["http://feeds.test/3"].ID}; fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("claimed %v, want only the due active feed %v", ids, want)
	}
	next, err := s.NextDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The claimed feed is leased but still the earliest due; NextDue is
	// about schedule, and the lease about who polls.
	if next.Before(added.Add(-time.Minute)) || next.After(now) {
		t.Errorf("NextDue = %v, want the new feeds' due time, about %v", next, added)
	}
}

func feedIDs(feeds []store.Feed) []int64 {
	ids := make([]int64, len(feeds))
	for i, f := range feeds {
		ids[i] = f.ID
	}
	return ids
}

// Workers starting together each sync their copy of the feeds file; lists in
// different orders must not deadlock, and the result is the one list.
func TestConcurrentSyncFeedsFromSeveralPools(t *testing.T) {
	ctx := context.Background()
	first, dsn := openTest(t)
	const workers, feedsN = 4, 300
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		s := openDSN(t, dsn)
		cfgs := make([]store.FeedConfig, feedsN)
		for i := range cfgs {
			n := i
			if w%2 == 1 {
				n = feedsN - 1 - i // the same list, backwards
			}
			cfgs[i] = store.FeedConfig{URL: fmt.Sprintf("http://feeds.test/%d", n)}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = s.SyncFeeds(ctx, cfgs)
		}()
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("worker %d: SyncFeeds: %v", w, err)
		}
	}
	feeds, err := first.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	active := 0
	for _, f := range feeds {
		if f.State == store.FeedActive {
			active++
		}
	}
	if len(feeds) != feedsN || active != feedsN {
		t.Errorf("after concurrent syncs: %d feeds, %d active; want %d and %d", len(feeds), active, feedsN, feedsN)
	}
}

// TestSyncOfAnUnchangedListLocksNoFeed checks what keeps workers that
// start together from deadlocking: a sync of the list the database already
// has must not wait on a feed row that a polling worker holds locked (its
// claim or save), since that worker may in turn wait on a row the sync
// holds. A changed feed is still updated.
func TestSyncOfAnUnchangedListLocksNoFeed(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	cfgs := make([]store.FeedConfig, 50)
	for i := range cfgs {
		cfgs[i] = store.FeedConfig{URL: fmt.Sprintf("http://feeds.test/%d", i), Name: "n", Tags: []string{"t"}}
	}
	if err := s.SyncFeeds(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	// A worker's transaction holds the row of feed 7.
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT id FROM feeds WHERE url = $1 FOR UPDATE`, cfgs[7].URL); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.SyncFeeds(short, cfgs); err != nil {
		t.Fatalf("sync of an unchanged list while a feed row is locked: %v; want it done without waiting for the lock", err)
	}
	cfgs[3].Name = "renamed"
	if err := s.SyncFeeds(short, cfgs); err != nil {
		t.Fatalf("sync of a list with one changed feed: %v", err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.URL == cfgs[3].URL && f.Name != "renamed" {
			t.Errorf("feed 3 is named %q after the sync; want %q", f.Name, "renamed")
		}
	}
}
