package postgres

import (
	"bytes"
	"context"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// A sync leaves the digest of its list in the database, whether it wrote
// the feeds or found them matching already, so the next sync of that list
// reads one row; another worker syncing another list, or a change beside
// the list, replaces or clears it.
func TestSyncKeepsTheDigestOfTheListItMade(t *testing.T) {
	ctx := context.Background()
	s, dsn := openTest(t)
	other := openDSN(t, dsn)
	a, b := store.FeedConfig{URL: "http://feeds.test/a"}, store.FeedConfig{URL: "http://feeds.test/b", Name: "B"}
	held := func(when string, want []store.FeedConfig) {
		t.Helper()
		got, _, err := s.syncedDigest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var wantDigest []byte
		if want != nil {
			wantDigest = store.ListDigest(want)
		}
		if !bytes.Equal(got, wantDigest) {
			t.Errorf("%s: digest %x held, want %x", when, got, wantDigest)
		}
	}
	written, reordered, another := []store.FeedConfig{a, b}, []store.FeedConfig{b, a}, []store.FeedConfig{b}
	if err := s.SyncFeeds(ctx, written); err != nil {
		t.Fatal(err)
	}
	held("after a sync that wrote", written)
	if err := s.SyncFeeds(ctx, reordered); err != nil {
		t.Fatal(err)
	}
	held("after a sync that only compared", reordered)
	if err := other.SyncFeeds(ctx, another); err != nil {
		t.Fatal(err)
	}
	held("after another worker synced another list", another)
	if err := s.SyncFeeds(ctx, reordered); err != nil {
		t.Fatal(err)
	}
	if feeds, err := s.Feeds(ctx); err != nil || len(feeds) != 2 || feeds[0].State != store.FeedActive || feeds[1].State != store.FeedActive {
		t.Errorf("after the first list again: want a and b active, got %+v, %v", feeds, err)
	}
	held("after the first list again", reordered)
	if err := other.RemoveFeed(ctx, a.URL); err != nil {
		t.Fatal(err)
	}
	held("after a feed was removed beside the list", nil)
}

// A change committed by another transaction between a sync's read of the
// feeds and its record of the digest must keep the digest from being
// recorded: the digest would describe feeds that are no longer there.
func TestDigestIsNotRecordedOverAChangeMadeMeanwhile(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	list := []store.FeedConfig{{URL: "http://feeds.test/a"}, {URL: "http://feeds.test/b"}}
	if err := s.SyncFeeds(ctx, list); err != nil {
		t.Fatal(err)
	}
	_, gen, err := s.syncedDigest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, list[0].URL); err != nil {
		t.Fatal(err)
	}
	if err := s.recordSynced(ctx, store.ListDigest(list), gen); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.syncedDigest(ctx); err != nil || got != nil {
		t.Errorf("digest recorded over a change made since its comparison: %x, %v; want none", got, err)
	}
}

// TRUNCATE fires no row trigger: its own trigger clears the digest, so the
// next sync of the same list puts the feeds back.
func TestSyncAfterATruncateComparesAgain(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	list := []store.FeedConfig{{URL: "http://feeds.test/a"}, {URL: "http://feeds.test/b"}}
	if err := s.SyncFeeds(ctx, list); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `TRUNCATE feeds CASCADE`); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncFeeds(ctx, list); err != nil {
		t.Fatal(err)
	}
	if feeds, err := s.Feeds(ctx); err != nil || len(feeds) != 2 {
		t.Errorf("after a truncate and a sync of the same list: want 2 feeds, got %d, %v", len(feeds), err)
	}
}
