package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/store"
)

// A database made before the outbox (version 6) migrates with its articles
// kept and no event for them; later ingests record theirs, and an ingest
// that fails leaves none.
func TestOpenMigratesToVersion7WithAnEmptyOutbox(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	old, err := Open(ctx, dsn, schemaBefore(t, 7))
	if err != nil {
		t.Fatalf("Open with versions 1-6: %v", err)
	}
	// AddFeed, not SyncFeeds: a sync reads the digest table of version 9.
	if err := old.AddFeed(ctx, store.FeedConfig{URL: "http://feeds.test/0"}); err != nil {
		t.Fatal(err)
	}
	stored, err := old.Feeds(ctx)
	if err != nil || len(stored) != 1 {
		t.Fatalf("feeds of the old database: want one, got %+v, %v", stored, err)
	}
	f := stored[0]
	if _, err := old.Ingest(ctx, sighting(f, "a", "http://127.0.0.1/a", "The lighthouse keeper counted the ships.")); err != nil {
		t.Fatal(err)
	}
	old.Close()

	s := openDSN(t, dsn)
	if ob, err := s.OutboxStats(ctx); err != nil || ob.Pending != 0 {
		t.Fatalf("outbox after migration: want empty, got %+v, %v", ob, err)
	}
	s.RecordEvents(true)
	out, err := s.Ingest(ctx, sighting(f, "b", "http://127.0.0.1/a", "The lighthouse keeper counted the ships."))
	if err != nil || out.Reason != store.ReasonSameURL {
		t.Fatalf("second sighting: want same_url, got %+v, %v", out, err)
	}
	bad := sighting(f, "c", "http://127.0.0.1/c", "A story whose feed does not exist.")
	bad.FeedID += 100
	if _, err := s.Ingest(ctx, bad); err == nil {
		t.Fatal("Ingest on a missing feed: want an error")
	}
	evs, err := s.ClaimEvents(ctx, time.Now(), 10, time.Minute)
	if err != nil || len(evs) != 1 || evs[0].Kind != store.EventSighted || evs[0].ArticleID != out.ArticleID {
		t.Fatalf("events: want only the sighting of article %d, got %+v, %v", out.ArticleID, evs, err)
	}
}
