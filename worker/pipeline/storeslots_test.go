package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// gateStore holds every Ingest until want of them wait at once (or until
// a few seconds have passed), and records the most that ever waited.
type gateStore struct {
	store.Store
	want int

	mu       sync.Mutex
	in, most int
	coming   int // sightings said to have more coming
	open     chan struct{}
	once     sync.Once
}

func (s *gateStore) Ingest(ctx context.Context, sg store.Sighting) (store.Outcome, error) {
	s.mu.Lock()
	s.in++
	s.most = max(s.most, s.in)
	if sg.MoreComing {
		s.coming++
	}
	if s.in >= s.want {
		s.once.Do(func() { close(s.open) })
	}
	s.mu.Unlock()
	select {
	case <-s.open:
	case <-time.After(3 * time.Second):
		s.once.Do(func() { close(s.open) }) // never reached: let the rest through
	}
	out, err := s.Store.Ingest(ctx, sg)
	s.mu.Lock()
	s.in--
	s.mu.Unlock()
	return out, err
}

// TestArticlesWaitingForTheStoreFreeTheirPageSlots: an article made and
// waiting for the store gives its page slot to the next page, so that more
// articles than page slots can queue for the writer (to share its
// commits), up to storeSlots per page slot and no more.
func TestArticlesWaitingForTheStoreFreeTheirPageSlots(t *testing.T) {
	const feeds, items = 3, 12
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, manyItemsFeed(items))
	}))
	for i := range feeds {
		h.addFeed(fmt.Sprintf("/feed/%d.xml", i))
	}
	// Three feeds of twelve items, four in flight per feed: twelve articles
	// could wait for the store at once.
	want := storeSlots * h.p.cfg.Concurrency
	gate := &gateStore{Store: h.st, want: want, open: make(chan struct{})}
	h.p.cfg.Store = gate
	sum := h.poll()
	if sum.NewArticles+sum.Duplicates != feeds*items || sum.Errors != 0 {
		t.Fatalf("poll stored %d items with %d errors; want %d and none", sum.NewArticles+sum.Duplicates, sum.Errors, feeds*items)
	}
	if gate.most != want {
		t.Errorf("at most %d articles waited for the store at once; want %d (%d page slots, %d store slots each)",
			gate.most, want, h.p.cfg.Concurrency, storeSlots)
	}
}

// TestSightingsSayWhetherMoreAreComing: with other pages being made, a
// sighting tells the store that more are coming (so that it may wait for
// them to share a commit); with one page slot, nothing else is being made,
// and none says so.
func TestSightingsSayWhetherMoreAreComing(t *testing.T) {
	const items = 6
	for _, tc := range []struct {
		concurrency int
		wantSome    bool
	}{{1, false}, {4, true}} {
		t.Run(fmt.Sprintf("concurrency %d", tc.concurrency), func(t *testing.T) {
			var h *harness
			h = newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/feed.xml" {
					links := make([]string, items)
					for i := range links {
						links[i] = fmt.Sprintf("{{base}}/a/%d", i)
					}
					fmt.Fprint(w, rssOf(h.srv.URL, links...))
					return
				}
				// Page i is slower than page i-1: the first ones made
				// reach the store while the later ones are still made.
				var i int
				fmt.Sscanf(r.URL.Path, "/a/%d", &i)
				time.Sleep(time.Duration(i+1) * 40 * time.Millisecond)
				fmt.Fprintf(w, articleHTML, fmt.Sprintf("Hearing %d", i), fmt.Sprintf("Delegate %d", i))
			}))
			h.addFeed("/feed.xml")
			cfg := h.p.cfg
			cfg.Concurrency = tc.concurrency
			gate := &gateStore{Store: h.st, want: 1, open: make(chan struct{})}
			cfg.Store = gate
			sum, err := New(cfg).PollDue(context.Background(), nil)
			if err != nil || sum.NewArticles+sum.Duplicates != items || sum.Errors != 0 {
				t.Fatalf("poll: %+v, %v; want %d items stored", sum, err, items)
			}
			if some := gate.coming > 0; some != tc.wantSome {
				t.Errorf("%d of %d sightings said more were coming; want some: %v", gate.coming, items, tc.wantSome)
			}
		})
	}
}
