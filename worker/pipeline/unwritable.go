package pipeline

import (
	"errors"
	"fmt"

	"github.com/wiresift/wiresift/worker/store"
)

// storeUnwritable reports whether a store error means that no later write
// can succeed either (a full disk, a read-only database): the run cannot go
// on, unlike a per-item failure, and must say so with a non-zero exit
// rather than count the error and report success.
func storeUnwritable(err error) bool {
	return errors.Is(err, store.ErrStorageFull) || errors.Is(err, store.ErrReadOnlyMode)
}

// keepUnwritable adds an item's store error to its feed's report when it is
// one the run cannot go on after, once.
func keepUnwritable(rep *FeedReport, err error) {
	if storeUnwritable(err) && !storeUnwritable(rep.Err) {
		rep.Err = errors.Join(rep.Err, err)
	}
}

// unwritable returns the first feed report's error that stops the run.
func unwritable(reports []FeedReport) error {
	for _, r := range reports {
		if storeUnwritable(r.Err) {
			return fmt.Errorf("pipeline: feed %s: cannot write the database: %w", r.URL, r.Err)
		}
	}
	return nil
}
