package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
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
