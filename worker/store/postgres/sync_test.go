package postgres

import (
	"context"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/internal/storetest"
	"github.com/wiresift/wiresift/worker/store"
)

// A sync leaves the digest of its list in the database, and another
// worker's sync or a change beside the list replaces or clears it.
func TestSyncKeepsTheDigestOfTheListItMade(t *testing.T) {
	s, dsn := openTest(t)
	other := openDSN(t, dsn)
	storetest.CheckSyncKeepsDigest(t, s, other, storetest.Digest{Held: s.syncedDigest, Record: s.recordSynced})
}

// A change made between a sync's comparison and its record of the digest
// keeps the digest from being recorded.
func TestDigestIsNotRecordedOverAChangeMadeMeanwhile(t *testing.T) {
	s, _ := openTest(t)
	storetest.CheckDigestNotRecordedOverAChange(t, s, storetest.Digest{Held: s.syncedDigest, Record: s.recordSynced})
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

// A database synced before version 10 keeps its list digest through the
// migration but knows no source: the first poll after it parses the file
// once, and records the source with the sync.
func TestMigrationToVersion10KnowsNoSourceUntilASync(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	old, err := Open(ctx, dsn, schemaBefore(t, 10))
	if err != nil {
		t.Fatalf("Open before version 10: %v", err)
	}
	// As version 9's sync left it (today's code reads the new column).
	list := []store.FeedConfig{{URL: "http://feeds.test/a"}}
	if err := old.AddFeed(ctx, list[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := old.pool.Exec(ctx, `UPDATE feed_list_synced SET digest = $1`, store.ListDigest(list)); err != nil {
		t.Fatal(err)
	}
	old.Close()

	s := openDSN(t, dsn)
	storetest.CheckMigratedDigestKnowsNoSource(t, s, list, storetest.Digest{Held: s.syncedDigest, Record: s.recordSynced})
}
