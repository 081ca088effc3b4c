package migrate

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// Undelivered webhook events move with the archive: same delivery ids, same
// order, same retry state, and the outbox's id sequence continues past them.
func TestCopyCarriesUndeliveredEvents(t *testing.T) {
	dst := openPostgres(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hook.db")
	src := openSQLite(t, path)
	src.RecordEvents(true)
	if err := src.AddFeed(ctx, store.FeedConfig{URL: "http://127.0.0.1/f.xml"}); err != nil {
		t.Fatal(err)
	}
	feeds, _ := src.Feeds(ctx)
	for i := 0; i < 3; i++ {
		u := "http://127.0.0.1/a/" + string(rune('0'+i))
		ingest(t, src, store.Sighting{FeedID: feeds[0].ID, FeedURL: feeds[0].URL, ItemKey: u, ItemURL: u,
			SeenAt:  time.Date(2026, 5, 1, i, 0, 0, 0, time.UTC),
			Article: store.ArticleData{URL: u, CanonicalURL: u, Title: u, Text: articleText(i), ContentHash: hashOf(articleText(i))}})
	}
	evs, err := src.ClaimEvents(ctx, time.Now(), 1, time.Minute)
	if err != nil || len(evs) != 1 {
		t.Fatalf("claim: %v, %v", evs, err)
	}
	retryAt := time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
	if err := src.RetryEvent(ctx, evs[0].ID, retryAt, "503"); err != nil {
		t.Fatal(err)
	}
	src.Close()

	rep, err := Copy(ctx, path, dst, Options{})
	if err != nil || rep.Events != 3 {
		t.Fatalf("Copy: want 3 events copied, got %+v, %v", rep, err)
	}
	got, err := dst.ClaimEvents(ctx, time.Now(), 10, time.Minute)
	if err != nil || len(got) != 2 {
		t.Fatalf("claim on PostgreSQL now: want the 2 events not waiting for a retry, got %+v, %v", got, err)
	}
	for _, ev := range got {
		if err := dst.EventDelivered(ctx, ev.ID); err != nil {
			t.Fatal(err)
		}
	}
	later, err := dst.ClaimEvents(ctx, retryAt, 10, time.Minute)
	if err != nil || len(later) != 1 || later[0].Delivery != evs[0].Delivery || later[0].Attempts != 1 {
		t.Fatalf("claim at the retry time: want delivery %s with 1 attempt, got %+v, %v", evs[0].Delivery, later, err)
	}
	// New ingests on PostgreSQL get outbox ids past the copied ones.
	dst.RecordEvents(true)
	u := "http://127.0.0.1/a/new"
	ingest(t, dst, store.Sighting{FeedID: feeds[0].ID, FeedURL: feeds[0].URL, ItemKey: u, ItemURL: u, SeenAt: time.Now(),
		Article: store.ArticleData{URL: u, CanonicalURL: u, Title: u, Text: articleText(9), ContentHash: hashOf(articleText(9))}})
	if ob, err := dst.OutboxStats(ctx); err != nil || ob.Pending != 2 {
		t.Errorf("outbox after a new ingest: want 2 pending (the retried and the new), got %+v, %v", ob, err)
	}
}
