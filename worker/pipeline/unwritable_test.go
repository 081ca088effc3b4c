package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// fullStore is a store whose disk is full: every Ingest fails.
type fullStore struct{ store.Store }

func (fullStore) Ingest(context.Context, store.Sighting) (store.Outcome, error) {
	return store.Outcome{}, fmt.Errorf("test: /var/lib/wiresift.db: ingest: %w", store.ErrStorageFull)
}

// TestUnwritableStoreStopsTheRun: a full disk or a read-only database is no
// per-item failure to count and carry on past: PollDue and Backfill return
// it, so that the command exits non-zero instead of reporting success.
func TestUnwritableStoreStopsTheRun(t *testing.T) {
	var h *harness
	h = newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, rssOf(h.srv.URL, "{{base}}/a", "{{base}}/b"))
			return
		}
		fmt.Fprint(w, "<html><body><article><p>"+strings.Repeat("A sentence of the story. ", 30)+"</p></article></body></html>")
	}))
	h.addFeed("/feed.xml")
	cfg := h.p.cfg
	cfg.Store = fullStore{h.st}
	p := New(cfg)

	_, err := p.PollDue(context.Background(), nil)
	if !errors.Is(err, store.ErrStorageFull) {
		t.Errorf("PollDue on a full disk: want an error wrapping ErrStorageFull, got %v", err)
	}
	_, err = p.Backfill(context.Background(), nil, "", History{MaxPages: 1})
	if !errors.Is(err, store.ErrStorageFull) || !strings.Contains(err.Error(), "/var/lib/wiresift.db") {
		t.Errorf("Backfill on a full disk: want ErrStorageFull naming the file, got %v", err)
	}
}

// failingDiskStore is a store whose disk fails every write with an I/O
// error.
type failingDiskStore struct{ store.Store }

func (s *failingDiskStore) Ingest(context.Context, store.Sighting) (store.Outcome, error) {
	return store.Outcome{}, fmt.Errorf("test: /var/lib/wiresift.db: ingest: %w", store.ErrStorageFailed)
}

// TestWriteFaultStopsFetchingAtOnce: the first write that fails for good
// stops the pass: no more pages are fetched, no other feed is polled, and
// the error says so.
func TestWriteFaultStopsFetchingAtOnce(t *testing.T) {
	const items = 40
	var pages, feeds atomic.Int32
	var h *harness
	h = newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".xml") {
			feeds.Add(1)
			var links []string
			for i := range items {
				links = append(links, fmt.Sprintf("{{base}}%s/%d", strings.TrimSuffix(r.URL.Path, ".xml"), i))
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, rssOf(h.srv.URL, links...))
			return
		}
		pages.Add(1)
		fmt.Fprint(w, "<html><body><article><p>"+strings.Repeat("A sentence of the story. ", 30)+"</p></article></body></html>")
	}))
	h.addFeed("/one.xml")
	h.addFeed("/two.xml")
	for _, run := range []struct {
		name string
		pass func(p *Pipeline) error
	}{
		{"PollDue", func(p *Pipeline) error { _, err := p.PollDue(context.Background(), nil); return err }},
		{"Backfill", func(p *Pipeline) error {
			_, err := p.Backfill(context.Background(), nil, "", History{MaxPages: 1})
			return err
		}},
	} {
		t.Run(run.name, func(t *testing.T) {
			pages.Store(0)
			feeds.Store(0)
			cfg := h.p.cfg
			cfg.Concurrency = 1
			st := &failingDiskStore{Store: h.st}
			cfg.Store = st
			err := run.pass(New(cfg))
			if !errors.Is(err, store.ErrStorageFailed) || !strings.Contains(err.Error(), "/var/lib/wiresift.db") {
				t.Errorf("want an error wrapping ErrStorageFailed naming the file, got %v", err)
			}
			// One page slot: the failing item's page, and at most the
			// one that had started beside it.
			if n := pages.Load(); n > 2 {
				t.Errorf("pages fetched after the first failed write: %d of %d, want at most 2", n, items)
			}
			if n := feeds.Load(); n != 1 {
				t.Errorf("feeds fetched: %d, want 1 (the pass stops before the second)", n)
			}
		})
	}
}
