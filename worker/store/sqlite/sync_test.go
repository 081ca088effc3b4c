package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/storetest"
	"github.com/wiresift/wiresift/worker/store"
)

// A sync leaves the digest of its list in the database, and another
// store's sync or a change beside the list replaces or clears it.
func TestSyncKeepsTheDigestOfTheListItMade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	s, other := openPath(t, path), openPath(t, path)
	storetest.CheckSyncKeepsDigest(t, s, other, storetest.Digest{Held: s.syncedDigest, Record: s.recordSynced})
}

// A change made between a sync's comparison and its record of the digest
// keeps the digest from being recorded.
func TestDigestIsNotRecordedOverAChangeMadeMeanwhile(t *testing.T) {
	s := openTemp(t, Options{})
	storetest.CheckDigestNotRecordedOverAChange(t, s, storetest.Digest{Held: s.syncedDigest, Record: s.recordSynced})
}

// A read-only archive syncs a list that changes nothing without an error,
// as before the digest: it only cannot record the digest.
func TestReadOnlySyncOfAnUnchangedListRecordsNothing(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{})
	a, b := store.FeedConfig{URL: "http://feeds.test/a"}, store.FeedConfig{URL: "http://feeds.test/b"}
	if err := s.SyncFeeds(ctx, []store.FeedConfig{a, b}); err != nil {
		t.Fatal(err)
	}
	s.readOnly = true // as a file opened without write permission
	if err := s.SyncFeeds(ctx, []store.FeedConfig{b, a}); err != nil {
		t.Errorf("read-only sync of the same feeds in another order: %v; want no error", err)
	}
}
