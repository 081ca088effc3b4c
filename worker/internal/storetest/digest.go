package storetest

import (
	"bytes"
	"context"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// Digest reaches the digest of the feed list that a store holds as the one
// it last synced, which only the backend's own tests can: Held reads it
// (nil: none) with the digest of the source it was parsed from and the
// count of changes to the feeds so far, and Record records a digest and
// source unless the feeds changed since that count.
type Digest struct {
	Held   func(ctx context.Context) (digest, source []byte, gen int64, err error)
	Record func(ctx context.Context, digest, source []byte, gen int64) error
}

// CheckSyncKeepsDigest checks that a sync leaves the digest of its list in
// the database, whether it wrote the feeds or found them matching already,
// so that the next sync of that list reads one row; and that another store
// on the same database (other) syncing another list, or a change beside
// the list, replaces or clears it. digest reaches what s holds.
func CheckSyncKeepsDigest(t *testing.T, s, other store.Store, digest Digest) {
	t.Helper()
	ctx := testContext(t)
	a, b := store.FeedConfig{URL: "http://feeds.test/a"}, store.FeedConfig{URL: "http://feeds.test/b", Name: "B"}
	held := func(when string, want []store.FeedConfig) {
		t.Helper()
		got, _, _, err := digest.Held(ctx)
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
	held("after another store synced another list", another)
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

// CheckDigestNotRecordedOverAChange checks that a change committed between
// a sync's read of the feeds and its record of the digest keeps the digest
// from being recorded: it would describe feeds that are no longer there.
func CheckDigestNotRecordedOverAChange(t *testing.T, s store.Store, digest Digest) {
	t.Helper()
	ctx := testContext(t)
	list := []store.FeedConfig{{URL: "http://feeds.test/a"}, {URL: "http://feeds.test/b"}}
	if err := s.SyncFeeds(ctx, list); err != nil {
		t.Fatal(err)
	}
	_, _, gen, err := digest.Held(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, list[0].URL); err != nil {
		t.Fatal(err)
	}
	source := []byte("digest of the feeds file")
	if err := digest.Record(ctx, store.ListDigest(list), source, gen); err != nil {
		t.Fatal(err)
	}
	if got, _, _, err := digest.Held(ctx); err != nil || got != nil {
		t.Errorf("digest recorded over a change made since its comparison: %x, %v; want none", got, err)
	}
	if ss, ok := s.(store.SourceSyncer); ok {
		if synced, err := ss.SyncedFrom(ctx, source); err != nil || synced {
			t.Errorf("SyncedFrom its source after a record over a change = %v, %v; want false", synced, err)
		}
	}
}

// CheckMigratedDigestKnowsNoSource checks a store just migrated from a
// schema that kept the list's digest but no source digest: the list digest
// held before is still held, no source matches, and one sync of list from
// a source records it. digest reaches what s holds.
func CheckMigratedDigestKnowsNoSource(t *testing.T, s store.Store, list []store.FeedConfig, digest Digest) {
	t.Helper()
	ctx := testContext(t)
	sync, ok := s.(store.SourceSyncer)
	if !ok {
		t.Fatalf("store %T keeps no source digest", s)
	}
	source := []byte("digest of the feeds file")
	if held, _, _, err := digest.Held(ctx); err != nil || held == nil {
		t.Fatalf("list digest after migration: %x, %v; want the one synced before", held, err)
	}
	if ok, err := sync.SyncedFrom(ctx, source); err != nil || ok {
		t.Fatalf("SyncedFrom after migration = %v, %v; want false", ok, err)
	}
	if err := sync.SyncFeedsFrom(ctx, list, source); err != nil {
		t.Fatal(err)
	}
	if ok, err := sync.SyncedFrom(ctx, source); err != nil || !ok {
		t.Errorf("SyncedFrom after a sync of the same list from the file = %v, %v; want true", ok, err)
	}
}
