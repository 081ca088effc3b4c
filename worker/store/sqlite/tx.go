package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wiresift/wiresift/worker/store"
)

// inTx runs fn in an IMMEDIATE write transaction, through the group writer,
// and returns once it is committed, or rolled back when fn fails; fn may run
// again when a shared transaction breaks, so it must start from scratch.
// Errors come back wrapped with the file and op.
func (s *Store) inTx(ctx context.Context, op string, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.runTx(ctx, op, false, fn)
}

// runTx is inTx; with gather, the writer waits a little for more writes to
// commit with this one (gatherWait).
func (s *Store) runTx(ctx context.Context, op string, gather bool, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if s.readOnly {
		return s.wrap(op, store.ErrReadOnlyMode)
	}
	err := s.writer.do(ctx, gather, fn)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrFeedExists):
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	return s.wrap(op, err)
}
