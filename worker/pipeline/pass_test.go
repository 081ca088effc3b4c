package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// notModified answers every request 304 and calls hook with the number of
// requests so far.
func notModified(hook func(n int64)) http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hook(n.Add(1))
		w.WriteHeader(http.StatusNotModified)
	})
}

// TestStoppedPassHandsBackEveryUnpolledFeed stops a pass over more feeds
// than one claim takes while the next batch is already claimed: every feed
// either was polled and saved, or is due again at once with no lease held.
func TestStoppedPassHandsBackEveryUnpolledFeed(t *testing.T) {
	const feeds = 3 * DefaultClaimBatch
	stop := make(chan struct{})
	closeStop := sync.OnceFunc(func() { close(stop) })
	h := newHarness(t, notModified(func(n int64) {
		if n == DefaultClaimBatch/2 {
			closeStop()
		}
	}))
	urls := make([]string, feeds)
	for i := range urls {
		urls[i] = h.addFeed(fmt.Sprintf("/feed/%d.xml", i))
	}
	sum, err := h.p.PollDue(context.Background(), stop)
	if err != nil {
		t.Fatalf("PollDue: %v", err)
	}
	if sum.FeedsPolled == 0 || sum.FeedsPolled >= feeds {
		t.Fatalf("stopped pass polled %d of %d feeds; want some, not all", sum.FeedsPolled, feeds)
	}
	polled := 0
	for _, u := range urls {
		f := h.feed(u)
		if !f.LeasedUntil.IsZero() {
			t.Errorf("feed %s still leased until %v after the pass stopped", u, f.LeasedUntil)
		}
		if !f.LastPollAt.IsZero() {
			polled++
			if f.LastStatus != http.StatusNotModified {
				t.Errorf("polled feed %s: status %d saved; want 304", u, f.LastStatus)
			}
		}
	}
	if polled != sum.FeedsPolled {
		t.Errorf("%d feeds carry a poll, the summary counts %d; want equal", polled, sum.FeedsPolled)
	}
	// The next pass polls exactly the rest.
	rest := h.poll()
	if rest.FeedsPolled != feeds-polled {
		t.Errorf("next pass polled %d feeds; want the %d left", rest.FeedsPolled, feeds-polled)
	}
}

// countingStore counts the calls that save feed states.
type countingStore struct {
	store.Store
	single, batches, states atomic.Int64
}

func (s *countingStore) SaveFeedState(ctx context.Context, r store.PollResult) error {
	s.single.Add(1)
	return s.Store.SaveFeedState(ctx, r)
}

func (s *countingStore) SaveFeedStates(ctx context.Context, rs []store.PollResult) []error {
	s.batches.Add(1)
	s.states.Add(int64(len(rs)))
	return s.Store.SaveFeedStates(ctx, rs)
}

// TestPassSavesStatesInBatches checks that a pass of quick polls shares
// transactions between feed states, and that every state is saved.
func TestPassSavesStatesInBatches(t *testing.T) {
	const feeds = 4 * DefaultClaimBatch
	h := newHarness(t, notModified(func(int64) {}))
	counting := &countingStore{Store: h.st}
	h.p.cfg.Store = counting
	for i := range feeds {
		h.addFeed(fmt.Sprintf("/feed/%d.xml", i))
	}
	sum := h.poll()
	if sum.FeedsPolled != feeds || sum.NotModified != feeds {
		t.Fatalf("pass polled %d feeds, %d not modified; want %d of each", sum.FeedsPolled, sum.NotModified, feeds)
	}
	if got := counting.states.Load() + counting.single.Load(); got != feeds {
		t.Errorf("%d states saved; want %d, one per feed", got, feeds)
	}
	if b := counting.batches.Load(); b == 0 || b > feeds/4 {
		t.Errorf("%d feed states saved in %d batches; want at least 4 states a batch on average", feeds, b)
	}
}

// TestFeedThatWaitedPastItsLeaseIsLeftToTheNextClaim: a claimed feed that
// sat in the queue until its lease ran out may belong to another worker by
// now, so it is not polled late; the next claim takes it.
func TestFeedThatWaitedPastItsLeaseIsLeftToTheNextClaim(t *testing.T) {
	const feeds = 3
	var h *harness
	entered, release := make(chan struct{}), make(chan struct{})
	var first sync.Once
	h = newHarness(t, notModified(func(n int64) {
		if n == 1 {
			first.Do(func() { close(entered) })
			<-release
		}
	}))
	h.p.cfg.Concurrency = 1
	h.p.cfg.Lease = time.Minute
	for i := range feeds {
		h.addFeed(fmt.Sprintf("/feed/%d.xml", i))
	}
	done := make(chan Summary)
	go func() { done <- h.poll() }()
	<-entered // one feed in flight, the other two claimed and queued
	h.clock.Advance(2 * time.Minute)
	close(release)
	if sum := <-done; sum.FeedsPolled != 1 {
		t.Fatalf("pass whose queued leases ran out polled %d feeds; want only the one in flight", sum.FeedsPolled)
	}
	if sum := h.poll(); sum.FeedsPolled != feeds-1 {
		t.Errorf("next pass polled %d feeds; want the %d whose leases had run out", sum.FeedsPolled, feeds-1)
	}
}

// claimSizes records the size of every claim.
type claimSizes struct {
	store.Store
	mu    sync.Mutex
	sizes []int
}

func (s *claimSizes) ClaimDueFeeds(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.Feed, error) {
	feeds, err := s.Store.ClaimDueFeeds(ctx, now, limit, lease)
	s.mu.Lock()
	s.sizes = append(s.sizes, len(feeds))
	s.mu.Unlock()
	return feeds, err
}

// TestClaimBatchBoundsEachClaim: a pass of quick 304s claims whole batches
// of Config.ClaimBatch (DefaultClaimBatch when unset), never more.
func TestClaimBatchBoundsEachClaim(t *testing.T) {
	for _, tc := range []struct {
		name       string
		claimBatch int
		want       int
	}{
		{"default", 0, DefaultClaimBatch},
		{"larger, as on SQLite", 4 * DefaultClaimBatch, 4 * DefaultClaimBatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const feeds = 6 * DefaultClaimBatch
			h := newHarness(t, notModified(func(int64) {}))
			claims := &claimSizes{Store: h.st}
			h.p.cfg.Store = claims
			h.p.cfg.ClaimBatch = cmp.Or(tc.claimBatch, DefaultClaimBatch)
			for i := range feeds {
				h.addFeed(fmt.Sprintf("/feed/%d.xml", i))
			}
			if sum := h.poll(); sum.FeedsPolled != feeds {
				t.Fatalf("pass polled %d feeds; want %d", sum.FeedsPolled, feeds)
			}
			if got := slices.Max(claims.sizes); got != tc.want {
				t.Errorf("largest claim %d feeds (claims %v); want %d", got, claims.sizes, tc.want)
			}
		})
	}
}
