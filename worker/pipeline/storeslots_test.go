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
	open     chan struct{}
	once     sync.Once
}

func (s *gateStore) Ingest(ctx context.Context, sg store.Sighting) (store.Outcome, error) {
	s.mu.Lock()
	s.in++
	s.most = max(s.most, s.in)
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
