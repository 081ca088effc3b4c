package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// TestGroupCommitUndoesOnlyTheFailedWrite sends many writes at once, every
// third of which fails after writing: the writer batches them into shared
// transactions, and each failed one must leave no trace while the others
// all land.
func TestGroupCommitUndoesOnlyTheFailedWrite(t *testing.T) {
	s := openTemp(t, Options{})
	ctx := context.Background()
	const writers = 60
	errBoom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			errs[i] = s.inTx(ctx, "test write", func(_ context.Context, tx *sql.Tx) error {
				if err := s.addFeedTx(ctx, tx, fmt.Sprintf("http://example.test/%d", i)); err != nil {
					return err
				}
				if i%3 == 0 {
					return errBoom
				}
				return nil
			})
		})
	}
	wg.Wait()
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, f := range feeds {
		stored[f.URL] = true
	}
	for i, err := range errs {
		url := fmt.Sprintf("http://example.test/%d", i)
		wantFail := i%3 == 0
		if got := errors.Is(err, errBoom); got != wantFail {
			t.Errorf("write %d: error %v; want boom: %v", i, err, wantFail)
		}
		if stored[url] == wantFail {
			t.Errorf("write %d: feed stored = %v; want %v", i, stored[url], !wantFail)
		}
	}
}

// TestWriteAfterCloseFails checks that a closed store refuses writes
// instead of blocking on a writer that is gone.
func TestWriteAfterCloseFails(t *testing.T) {
	s := openTemp(t, Options{})
	s.Close()
	err := s.AddFeed(context.Background(), store.FeedConfig{URL: "http://example.test/"})
	if err == nil {
		t.Fatal("AddFeed after Close: got nil error; want one")
	}
}

func (s *Store) addFeedTx(ctx context.Context, tx *sql.Tx, url string) error {
	_, err := tx.ExecContext(ctx, upsertFeed, url, "", "[]", 0, 0)
	return err
}
