package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// An archive from before version 12 keeps its feeds' item dates through the
// migration that moves them out of the feeds' rows.
func TestMigrationToVersion12KeepsItemDates(t *testing.T) {
	ctx := context.Background()
	old, path := openBeforeVersion(t, "12")
	if err := old.SyncFeeds(ctx, []store.FeedConfig{{URL: "http://feeds.test/a"}, {URL: "http://feeds.test/b"}}); err != nil {
		t.Fatal(err)
	}
	feeds, err := old.Feeds(ctx)
	if err != nil || len(feeds) != 2 {
		t.Fatalf("Feeds: %v, %v", feeds, err)
	}
	dates := []time.Time{time.Unix(1_700_000_000, 0).UTC(), time.Unix(1_700_003_600, 0).UTC()}
	if err := old.SaveFeedState(ctx, store.PollResult{FeedID: feeds[0].ID, PolledAt: time.Now(), ItemDates: dates}); err != nil {
		t.Fatal(err)
	}
	old.Close()

	s := openPath(t, path)
	got, err := s.Feeds(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("Feeds after migration: %v, %v", got, err)
	}
	if !equalDates(got[0].ItemDates, dates) || len(got[1].ItemDates) != 0 {
		t.Errorf("item dates after migration: %v and %v; want %v and none", got[0].ItemDates, got[1].ItemDates, dates)
	}
	var rows int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM feed_item_dates`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("feed_item_dates rows: %d, %v; want 1 (a feed without dates has none)", rows, err)
	}
	var cols int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('feeds') WHERE name = 'item_dates'`).Scan(&cols); err != nil || cols != 0 {
		t.Errorf("feeds.item_dates after migration: %d columns, %v; want the column gone", cols, err)
	}
}

// A save writes item dates only when they are new: a 304 (no dates) and a
// document with the same dates leave the stored row alone.
func TestItemDatesWrittenOnlyWhenTheyChange(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t, Options{})
	if err := s.SyncFeeds(ctx, []store.FeedConfig{{URL: "http://feeds.test/a"}}); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("Feeds: %v, %v", feeds, err)
	}
	id := feeds[0].ID
	dates := []time.Time{time.Unix(1_700_000_000, 0).UTC()}
	newer := []time.Time{time.Unix(1_700_000_000, 0).UTC(), time.Unix(1_700_090_000, 0).UTC()}
	// total_changes counts the rows each statement wrote; the save's own
	// UPDATE of the feed row is one.
	for _, tc := range []struct {
		name  string
		dates []time.Time
		want  int64 // rows written by the save: the feed's row, and its dates if new
	}{
		{"first dates", dates, 2},
		{"the same dates", dates, 1},
		{"no dates (a 304)", nil, 1},
		{"new dates", newer, 2},
	} {
		before := totalChanges(t, s)
		if err := s.SaveFeedState(ctx, store.PollResult{FeedID: id, PolledAt: time.Now(), ItemDates: tc.dates}); err != nil {
			t.Fatal(err)
		}
		if got := totalChanges(t, s) - before; got != tc.want {
			t.Errorf("%s: the save wrote %d rows; want %d", tc.name, got, tc.want)
		}
	}
	got, err := s.Feeds(ctx)
	if err != nil || !equalDates(got[0].ItemDates, newer) {
		t.Errorf("item dates: %v, %v; want %v", got[0].ItemDates, err, newer)
	}
}

// totalChanges is the rows the write connection has changed since it opened.
func totalChanges(t *testing.T, s *Store) int64 {
	t.Helper()
	var n int64
	if err := s.write.QueryRowContext(context.Background(), `SELECT total_changes()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func equalDates(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// parseItemDates reads what encoding/json reads, and refuses what it
// refuses.
func TestParseItemDatesAgreesWithJSON(t *testing.T) {
	for _, in := range []string{
		"[]", "[1700000000]", "[1700000000,1699996400,5]", "[-5,0]", "[ 1, 2 ]", "[1,]", "[,1]",
		"[1e3]", "[1.5]", "[1,2", "1,2]", "", "[", "null", "[\"1\"]", "[99999999999999999999]",
	} {
		got, err := parseItemDates(in)
		want, wantErr := parseItemDatesJSON(in)
		if (err != nil) != (wantErr != nil) || !equalDates(got, want) || (got == nil) != (want == nil) {
			t.Errorf("parseItemDates(%q) = %v, %v; encoding/json gives %v, %v", in, got, err, want, wantErr)
		}
	}
}
