package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wiresift/wiresift/worker/store"
)

// inTx runs fn in one IMMEDIATE write transaction and commits it, or rolls
// it back when fn fails. Errors come back wrapped with the file and op.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return s.wrap(op, store.ErrReadOnlyMode)
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrFeedExists) {
			return fmt.Errorf("sqlite: %s: %w", op, err)
		}
		return s.wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrap(op, err)
	}
	return nil
}
