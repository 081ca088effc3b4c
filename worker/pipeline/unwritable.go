package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/wiresift/wiresift/worker/store"
)

// storeUnwritable reports whether a store error means that no later write
// can succeed either (a full disk, a read-only database): the run cannot go
// on, unlike a per-item failure, and must say so with a non-zero exit
// rather than count the error and report success.
func storeUnwritable(err error) bool {
	return errors.Is(err, store.ErrStorageFull) || errors.Is(err, store.ErrReadOnlyMode) ||
		errors.Is(err, store.ErrStorageFailed)
}

// faultStop is what a one-shot pass (PollDue, Backfill) runs under: a
// context that the first write the database refuses for good cancels, so
// that no further page is fetched, and the error that did it.
type faultStop struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

func newFaultStop(ctx context.Context) faultStop {
	c, cancel := context.WithCancelCause(ctx)
	return faultStop{ctx: c, cancel: cancel}
}

// item is mode.fault: it stops the pass on an unwritable store error.
func (f faultStop) item(err error) {
	if storeUnwritable(err) {
		f.cancel(err)
	}
}

// err is the fault that stopped the pass, as the pass reports it, or nil.
func (f faultStop) err() error {
	if cause := context.Cause(f.ctx); storeUnwritable(cause) {
		return fmt.Errorf("pipeline: stopped at the first write the database refused: %w", cause)
	}
	return nil
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
