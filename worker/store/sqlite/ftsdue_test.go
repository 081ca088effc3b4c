package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// withText is sg with its own words in the text and title, so that a
// search tells which version of an article the index holds.
func withText(sg store.Sighting, word string) store.Sighting {
	sg.Article.Text = "The " + word + " report. " + sg.Article.Text
	sg.Article.Title = "About " + word
	sg.Article.ContentHash = "hash-" + word
	return sg
}

// TestGroupIndexesWhatItCommits runs one group commit whose writes insert
// articles, fail after inserting, and rewrite an article inserted earlier
// in the same transaction (before the index holds it), and checks that the
// search index ends up holding exactly the committed texts.
func TestGroupIndexesWhatItCommits(t *testing.T) {
	s := openTemp(t, Options{})
	feed := seedArchive(t, s, 0)
	ctx := context.Background()
	errBoom := errors.New("boom")

	ingest := func(sg store.Sighting, fail bool) func(context.Context, *sql.Tx) error {
		return func(ctx context.Context, tx *sql.Tx) error {
			if _, err := store.Decide(ctx, s.ingestTx(tx), sg); err != nil {
				return err
			}
			if fail {
				return errBoom
			}
			return nil
		}
	}
	var firstID int64
	represent := func(sg store.Sighting, fail bool) func(context.Context, *sql.Tx) error {
		return func(ctx context.Context, tx *sql.Tx) error {
			if err := s.ingestTx(tx).Represent(ctx, firstID, sg); err != nil {
				return err
			}
			if fail {
				return errBoom
			}
			return nil
		}
	}
	writes := []struct {
		fn      func(context.Context, *sql.Tx) error
		wantErr error
	}{
		{ingest(withText(testSighting(feed, 1), "albatross"), false), nil},
		{ingest(withText(testSighting(feed, 2), "bittern"), true), errBoom},
		// Rewrites article 1 while the index does not hold it yet.
		{represent(withText(testSighting(feed, 3), "cormorant"), false), nil},
		{ingest(withText(testSighting(feed, 4), "dunlin"), false), nil},
		// Indexes dunlin before its update, then is rolled back: dunlin
		// must still be indexed at the end.
		{represent(withText(testSighting(feed, 5), "eider"), true), errBoom},
		{ingest(withText(testSighting(feed, 6), "fulmar"), false), nil},
	}
	batch := make([]*writeReq, len(writes))
	for i, w := range writes {
		batch[i] = &writeReq{ctx: ctx, fn: w.fn, done: make(chan error, 1)}
	}
	firstID = 1 // the first article of an empty archive
	// The writer goroutine is idle: the batch runs here, as one group.
	s.writer.commit(batch)
	for i, w := range writes {
		if err := <-batch[i].done; !errors.Is(err, w.wantErr) {
			t.Errorf("write %d: error %v, want %v", i, err, w.wantErr)
		}
	}

	for word, want := range map[string]bool{
		"albatross": false, // replaced by cormorant
		"bittern":   false, // rolled back
		"cormorant": true,
		"dunlin":    true,
		"eider":     false, // rolled back
		"fulmar":    true,
	} {
		hits, err := s.Search(ctx, word, store.SearchOptions{})
		if err != nil {
			t.Fatalf("Search(%q): %v", word, err)
		}
		if got := len(hits) == 1; got != want || len(hits) > 1 {
			t.Errorf("Search(%q): %d hits, want found = %v", word, len(hits), want)
		}
	}
	integrityOK(t, s)
}

// TestGroupWritesOneSearchSegment: a group of new articles adds one FTS5
// segment, not one per article (the reason they are indexed last).
func TestGroupWritesOneSearchSegment(t *testing.T) {
	s := openTemp(t, Options{})
	feed := seedArchive(t, s, 0)
	ctx := context.Background()
	stopSearchMerges(t, s)
	segments := func() int { return searchSegments(t, s) }
	const group = 8
	batch := make([]*writeReq, group)
	for i := range batch {
		sg := withText(testSighting(feed, i), fmt.Sprintf("word%d", i))
		batch[i] = &writeReq{ctx: ctx, done: make(chan error, 1), fn: func(ctx context.Context, tx *sql.Tx) error {
			_, err := store.Decide(ctx, s.ingestTx(tx), sg)
			return err
		}}
	}
	before := segments()
	s.writer.commit(batch)
	for _, r := range batch {
		if err := <-r.done; err != nil {
			t.Fatal(err)
		}
	}
	if got := segments() - before; got != 1 {
		t.Errorf("a group of %d new articles added %d search segments, want 1", group, got)
	}
	integrityOK(t, s)
}

// stopSearchMerges turns FTS5's automatic merges off, so that the number
// of segments counts the flushes.
func stopSearchMerges(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.write.Exec(`INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 0)`); err != nil {
		t.Fatal(err)
	}
}

// searchSegments counts the segments of the FTS5 index.
func searchSegments(t *testing.T, s *Store) int {
	t.Helper()
	// A segment's rows are keyed segment id << 37 | height << 31 | page;
	// page 1 of the leaves (height 0) is there for every segment.
	var n int
	if err := s.read.QueryRow(`SELECT count(*) FROM articles_fts_data WHERE id > 10 AND (id & 0x1FFFFFFFFF) = 1`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestIngestsArrivingTogetherShareACommit: ingests that arrive one after
// another, a few milliseconds apart, wait for each other (gatherWait) and
// commit together: one search segment for all of them.
func TestIngestsArrivingTogetherShareACommit(t *testing.T) {
	s := openTemp(t, Options{})
	s.writer.gatherWait = time.Minute // the group fills long before
	feed := seedArchive(t, s, 0)
	stopSearchMerges(t, s)
	before := searchSegments(t, s)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range gatherTarget {
		time.Sleep(5 * time.Millisecond) // each arrives after the last would have committed
		wg.Go(func() {
			sg := withText(testSighting(feed, i), fmt.Sprintf("word%d", i))
			sg.MoreComing = true
			if _, err := s.Ingest(ctx, sg); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := searchSegments(t, s) - before; got != 1 {
		t.Errorf("%d ingests arriving 5 ms apart wrote %d search segments, want 1 (one commit)", gatherTarget, got)
	}
	integrityOK(t, s)
}

// TestIngestWaitsOnlyWhenMoreAreComing: an ingest with more coming that
// nothing joins commits once gatherWait is over; one with nothing coming
// does not wait.
func TestIngestWaitsOnlyWhenMoreAreComing(t *testing.T) {
	for _, tc := range []struct {
		name       string
		moreComing bool
		wait       time.Duration
		wantWait   bool
	}{
		{"more coming", true, 50 * time.Millisecond, true},
		{"nothing coming", false, 10 * time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t, Options{})
			s.writer.gatherWait = tc.wait
			feed := seedArchive(t, s, 0)
			sg := testSighting(feed, 1)
			sg.MoreComing = tc.moreComing
			start := time.Now()
			if _, err := s.Ingest(context.Background(), sg); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			if waited := took >= tc.wait; waited != tc.wantWait || took > tc.wait+5*time.Second {
				t.Errorf("a lone ingest took %v with a gather wait of %v; want it waited: %v", took, tc.wait, tc.wantWait)
			}
		})
	}
}
