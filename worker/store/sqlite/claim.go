package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// polledStates are the states that are polled on schedule; blocked feeds are
// still polled, with the backoff their NextPollAt carries.
const polledStates = `('active', 'blocked')`

// ClaimDueFeeds leases up to limit due feeds, earliest due first. The single
// writer makes select-then-update atomic: no two claimers, in this process or
// another, can lease the same feed.
func (s *Store) ClaimDueFeeds(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.Feed, error) {
	var feeds []store.Feed
	err := s.inTx(ctx, "claim due feeds", func(tx *sql.Tx) error {
		feeds = feeds[:0]
		n := now.UnixMicro()
		rows, err := tx.QueryContext(ctx, `
UPDATE feeds SET leased_until = ?
WHERE id IN (
    SELECT id FROM feeds
    WHERE state IN `+polledStates+` AND next_poll_at <= ?
      AND (leased_until IS NULL OR leased_until <= ?)
    ORDER BY next_poll_at, id LIMIT ?)
RETURNING `+feedColumns, now.Add(lease).UnixMicro(), n, n, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFeed(rows)
			if err != nil {
				return err
			}
			feeds = append(feeds, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order; callers poll the most overdue first.
	slices.SortFunc(feeds, func(a, b store.Feed) int {
		if c := a.NextPollAt.Compare(b.NextPollAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return feeds, nil
}

// NextDue is the earliest NextPollAt among polled feeds, zero if none.
func (s *Store) NextDue(ctx context.Context) (time.Time, error) {
	var next sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT min(next_poll_at) FROM feeds WHERE state IN `+polledStates).Scan(&next)
	if err != nil {
		return time.Time{}, s.wrap("next due feed", err)
	}
	return fromMicros(next), nil
}

// saveFeedStateSQL runs once per poll of every feed, prepared once (see
// Store.saveState).
const saveFeedStateSQL = `
UPDATE feeds SET
    url = coalesce(nullif(?, ''), url), state = coalesce(nullif(?, ''), state),
    etag = ?, last_modified = ?, body_hash = ?, last_poll_at = ?,
    next_poll_at = coalesce(?, next_poll_at), last_status = ?, last_error = ?,
    consecutive_errors = ?, identity_policy = ?, redirect_to = ?, leased_until = NULL,
    item_dates = coalesce(?, item_dates)
WHERE id = ? AND (? IS NULL OR leased_until = ?)`

// SaveFeedState records a poll's outcome and releases the feed's lease.
// An empty URL or State keeps the stored one; a Lease that another claim
// replaced saves nothing (store.ErrLeaseLost).
func (s *Store) SaveFeedState(ctx context.Context, r store.PollResult) error {
	return s.inTx(ctx, "save feed state", func(tx *sql.Tx) error {
		res, err := tx.StmtContext(ctx, s.saveState).ExecContext(ctx,
			r.URL, r.State, r.ETag, r.LastModified, r.BodyHash, micros(r.PolledAt),
			micros(r.NextPollAt), r.Status, r.Error, r.ConsecutiveErrors, r.IdentityPolicy,
			r.RedirectTo, itemDatesJSON(r.ItemDates), r.FeedID, micros(r.Lease), micros(r.Lease))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM feeds WHERE id = ?)`, r.FeedID).Scan(&exists); err != nil {
				return err
			}
			if exists {
				return store.ErrLeaseLost
			}
			return store.ErrNotFound
		}
		return nil
	})
}
