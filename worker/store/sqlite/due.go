package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// MakeAllDue implements store.DueMaker.
func (s *Store) MakeAllDue(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.inTx(ctx, "make every feed due", func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE feeds SET next_poll_at = ?1
WHERE state IN `+polledStates+` AND (next_poll_at IS NULL OR next_poll_at > ?1)`, now.UnixMicro())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	s.alone.Load().drop() // due before where claims resume
	return int(n), err
}

var (
	_ store.DueMaker    = (*Store)(nil)
	_ store.SoleClaimer = (*Store)(nil)
)
