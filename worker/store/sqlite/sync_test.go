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

// An archive synced before version 10 keeps its list digest through the
// migration but knows no source: the first poll after it parses the file
// once, and records the source with the sync.
func TestMigrationToVersion10KnowsNoSourceUntilASync(t *testing.T) {
	ctx := context.Background()
	old, path := openBeforeVersion(t, "10")
	// As version 9's sync left it (today's code reads the new column).
	list := []store.FeedConfig{{URL: "http://feeds.test/a"}}
	if err := old.AddFeed(ctx, list[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := old.write.ExecContext(ctx, `UPDATE feed_list_synced SET digest = ?`, store.ListDigest(list)); err != nil {
		t.Fatal(err)
	}
	old.Close()

	s := openPath(t, path)
	storetest.CheckMigratedDigestKnowsNoSource(t, s, list, storetest.Digest{Held: s.syncedDigest, Record: s.recordSynced})
}

// A read-only archive records no source either: a poll of it parses the
// file every time, and says nothing about it.
func TestReadOnlySyncFromAnotherFileRecordsNothing(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{})
	list := []store.FeedConfig{{URL: "http://feeds.test/a"}}
	if err := s.SyncFeedsFrom(ctx, list, []byte("first file")); err != nil {
		t.Fatal(err)
	}
	s.readOnly = true
	if err := s.SyncFeedsFrom(ctx, list, []byte("the file with a comment edited")); err != nil {
		t.Errorf("read-only sync of the same list from another file: %v; want no error", err)
	}
	if ok, err := s.SyncedFrom(ctx, []byte("the file with a comment edited")); err != nil || ok {
		t.Errorf("SyncedFrom after a read-only sync = %v, %v; want false", ok, err)
	}
}
