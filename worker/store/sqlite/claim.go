package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// polledStates are the states that are polled on schedule; blocked feeds are
// still polled, with the backoff their NextPollAt carries.
const polledStates = `('active', 'blocked')`

// claimSQL leases the earliest due feeds. It walks the feeds_polled_due
// index in order and stops after the batch; prepared once (Store.claim).
const claimSQL = `
UPDATE feeds SET leased_until = ?
WHERE id IN (
    SELECT id FROM feeds
    WHERE state IN ` + polledStates + ` AND next_poll_at <= ?
      AND (leased_until IS NULL OR leased_until <= ?)
    ORDER BY next_poll_at, id LIMIT ?)
RETURNING ` + feedColumns

// ClaimDueFeeds leases up to limit due feeds, earliest due first. The single
// writer makes select-then-update atomic: no two claimers, in this process or
// another, can lease the same feed.
func (s *Store) ClaimDueFeeds(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.Feed, error) {
	var feeds []store.Feed
	err := s.inTx(ctx, "claim due feeds", func(ctx context.Context, tx *sql.Tx) error {
		feeds = feeds[:0]
		n := now.UnixMicro()
		rows, err := tx.StmtContext(ctx, s.claim).QueryContext(ctx, now.Add(lease).UnixMicro(), n, n, limit)
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

// saveFeedStateSQL runs once per poll of every feed, prepared once
// (Store.saveState). The URL is not in it: setting the column, even to the
// value it has, rewrites its UNIQUE index entry, a third of the statement's
// cost; moveFeedSQL changes it when it differs.
const saveFeedStateSQL = `
UPDATE feeds SET
    state = coalesce(nullif(?, ''), state),
    etag = ?, last_modified = ?, body_hash = ?, last_poll_at = ?,
    next_poll_at = coalesce(?, next_poll_at), last_status = ?, last_error = ?,
    consecutive_errors = ?, identity_policy = ?, redirect_to = ?, leased_until = NULL,
    item_dates = coalesce(?, item_dates)
WHERE id = ? AND (? IS NULL OR leased_until = ?)`

// moveFeedSQL keeps the old URL when another feed has the new one: that
// row is the one the user listed.
const moveFeedSQL = `UPDATE OR IGNORE feeds SET url = ? WHERE id = ? AND url <> ?`

// SaveFeedState records a poll's outcome and releases the feed's lease.
// An empty URL or State keeps the stored one; a Lease that another claim
// replaced saves nothing (store.ErrLeaseLost).
func (s *Store) SaveFeedState(ctx context.Context, r store.PollResult) error {
	return s.inTx(ctx, "save feed state", func(ctx context.Context, tx *sql.Tx) error {
		return s.saveFeedState(ctx, tx, r)
	})
}

// SaveFeedStates saves several polls' outcomes in one transaction. A result
// whose lease was lost or whose feed is gone gets its own error and does not
// stop the others; when the transaction itself fails, each result is saved
// alone so that every one gets the answer it would have had by itself.
func (s *Store) SaveFeedStates(ctx context.Context, rs []store.PollResult) []error {
	errs := make([]error, len(rs))
	err := s.inTx(ctx, "save feed states", func(ctx context.Context, tx *sql.Tx) error {
		for i, r := range rs {
			err := s.saveFeedState(ctx, tx, r)
			if err != nil && !errors.Is(err, store.ErrLeaseLost) && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			errs[i] = err
		}
		return nil
	})
	if err == nil {
		for i, e := range errs {
			if e != nil {
				errs[i] = fmt.Errorf("sqlite: save feed state: %w", e)
			}
		}
		return errs
	}
	for i, r := range rs {
		errs[i] = s.SaveFeedState(ctx, r)
	}
	return errs
}

// saveFeedState is one poll's UPDATE, inside the caller's transaction; it
// writes nothing when it fails.
func (s *Store) saveFeedState(ctx context.Context, tx *sql.Tx, r store.PollResult) error {
	res, err := tx.StmtContext(ctx, s.saveState).ExecContext(ctx,
		r.State, r.ETag, r.LastModified, r.BodyHash, micros(r.PolledAt),
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
	if r.URL != "" {
		if _, err := tx.StmtContext(ctx, s.moveFeed).ExecContext(ctx, r.URL, r.FeedID, r.URL); err != nil {
			return err
		}
	}
	return nil
}
