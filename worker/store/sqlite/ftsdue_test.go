package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

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
	// No merges, so that segments count the flushes.
	if _, err := s.write.Exec(`INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 0)`); err != nil {
		t.Fatal(err)
	}
	segments := func() int {
		t.Helper()
		// A segment's rows are keyed segment id << 37 | height << 31 |
		// page; page 1 of the leaves (height 0) is there for every segment.
		var n int
		if err := s.read.QueryRow(`SELECT count(*) FROM articles_fts_data WHERE id > 10 AND (id & 0x1FFFFFFFFF) = 1`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
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
