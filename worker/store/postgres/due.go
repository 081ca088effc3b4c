package postgres

import (
	"context"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// MakeAllDue implements store.DueMaker. Leases are not touched: on
// PostgreSQL other workers may be polling, and their leases protect them.
func (s *Store) MakeAllDue(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE feeds SET next_poll_at = $1
		WHERE state IN ('active', 'blocked') AND (next_poll_at IS NULL OR next_poll_at > $1)`, now)
	if err != nil {
		return 0, writeErr("make every feed due", err)
	}
	return int(tag.RowsAffected()), nil
}

var _ store.DueMaker = (*Store)(nil)
