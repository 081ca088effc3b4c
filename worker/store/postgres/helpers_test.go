package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/store"
)

// openTest opens a store on a private schema; more opens share it via dsn.
func openTest(t testing.TB) (*Store, string) {
	t.Helper()
	dsn := pgtest.DSN(t)
	return openDSN(t, dsn), dsn
}

func openDSN(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, pgtest.Schema(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// addFeeds adds n feeds named http://feeds.test/N and returns them by URL.
func addFeeds(t testing.TB, s *Store, n int) map[string]store.Feed {
	t.Helper()
	ctx := context.Background()
	cfgs := make([]store.FeedConfig, n)
	for i := range cfgs {
		cfgs[i] = store.FeedConfig{URL: fmt.Sprintf("http://feeds.test/%d", i)}
	}
	if err := s.SyncFeeds(ctx, cfgs); err != nil {
		t.Fatalf("SyncFeeds: %v", err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	byURL := make(map[string]store.Feed, len(feeds))
	for _, f := range feeds {
		byURL[f.URL] = f
	}
	return byURL
}

var seenAt = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// sighting is feed f's item i carrying text at url.
func sighting(f store.Feed, item, url, text string) store.Sighting {
	return store.Sighting{
		FeedID: f.ID, FeedURL: f.URL, ItemKey: item, ItemURL: url, ItemTitle: "Title of " + item,
		SeenAt: seenAt,
		Article: store.ArticleData{
			URL: url, CanonicalURL: url, Title: "Title of " + item, Text: text,
			ContentHash: fmt.Sprintf("%x", text), TextSource: store.TextFromPage,
		},
		Print: dedup.Make(text),
	}
}
