package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/wiresift/wiresift/worker/store"
)

// polledStates are the states that are polled on schedule; blocked feeds are
// still polled, with the backoff their NextPollAt carries.
const polledStates = `('active', 'blocked')`

// Leases live in feed_leases, a table of a few pages, not in the feeds rows:
// a claim of 64 scattered feeds then writes a page or two instead of 64,
// which the polls' saves would write again. The statements every poll runs
// are prepared once (Store.stmts).
const (
	// claimSQL picks the earliest due feeds that no live lease holds. It
	// walks the feeds_polled_due index in order and stops after the batch.
	claimSQL = `
SELECT ` + feedColumnsToLease + `NULL` + feedColumnsFromLease + ` FROM feeds
WHERE state IN ` + polledStates + ` AND next_poll_at <= ?1
  AND NOT EXISTS (SELECT 1 FROM feed_leases WHERE feed_id = feeds.id AND until > ?1)
ORDER BY next_poll_at, id LIMIT ?2`
	// leaseSQL leases the picked feeds (a JSON array of ids), replacing
	// expired leases.
	leaseSQL = `
INSERT INTO feed_leases (feed_id, until) SELECT value, ?1 FROM json_each(?2) WHERE true
ON CONFLICT (feed_id) DO UPDATE SET until = excluded.until`

	// saveFeedStateSQL leaves the URL out: setting the column, even to the
	// value it has, rewrites its UNIQUE index entry, a third of the
	// statement's cost; moveFeedSQL changes it when it differs.
	saveFeedStateSQL = `
UPDATE feeds SET
    state = coalesce(nullif(?, ''), state),
    etag = ?, last_modified = ?, body_hash = ?, last_poll_at = ?,
    next_poll_at = coalesce(?, next_poll_at), last_status = ?, last_error = ?,
    consecutive_errors = ?, identity_policy = ?, redirect_to = ?,
    item_dates = coalesce(?, item_dates)
WHERE id = ?13 AND (?14 IS NULL OR EXISTS (SELECT 1 FROM feed_leases WHERE feed_id = ?13 AND until = ?14))`
	// moveFeedSQL keeps the old URL when another feed has the new one: that
	// row is the one the user listed.
	moveFeedSQL = `UPDATE OR IGNORE feeds SET url = ? WHERE id = ? AND url <> ?`
	// saveFeedStatesSQL is saveFeedStateSQL for a batch, one row of a JSON
	// array per state (see statesJSON): one statement instead of one per
	// feed, as PostgreSQL's UPDATE … FROM unnest. A batch naming a feed
	// twice is saved row by row (the join would write the row once).
	saveFeedStatesSQL = `
UPDATE feeds SET
    state = coalesce(nullif(r.state, ''), feeds.state),
    etag = r.etag, last_modified = r.last_modified, body_hash = r.body_hash, last_poll_at = r.polled_at,
    next_poll_at = coalesce(r.next_poll_at, feeds.next_poll_at), last_status = r.status, last_error = r.error,
    consecutive_errors = r.errors, identity_policy = r.identity_policy, redirect_to = r.redirect_to,
    item_dates = coalesce(r.item_dates, feeds.item_dates)
FROM (SELECT value ->> 0 AS id, value ->> 1 AS state, value ->> 2 AS etag, value ->> 3 AS last_modified,
        value ->> 4 AS body_hash, value ->> 5 AS polled_at, value ->> 6 AS next_poll_at, value ->> 7 AS status,
        value ->> 8 AS error, value ->> 9 AS errors, value ->> 10 AS identity_policy,
        value ->> 11 AS redirect_to, value ->> 12 AS item_dates, value ->> 13 AS lease
    FROM jsonb_each(?)) AS r
WHERE feeds.id = r.id
  AND (r.lease IS NULL OR EXISTS (SELECT 1 FROM feed_leases WHERE feed_id = r.id AND until = r.lease))`
	// releaseSQL ends the leases of the feeds whose state was just saved (a
	// JSON array of ids): the save checked that each still had its poll's
	// lease, in the same transaction.
	releaseSQL = `DELETE FROM feed_leases WHERE feed_id IN (SELECT value FROM json_each(?))`
)

// statements are the prepared statements of the poll loop.
type statements struct {
	claim, lease, saveState, saveStates, moveFeed, release *sql.Stmt
}

// stmtSQL is a statement to prepare and the text it is prepared from.
type stmtSQL struct {
	stmt **sql.Stmt
	sql  string
}

func (st *statements) all() []stmtSQL {
	return []stmtSQL{
		{&st.claim, claimSQL}, {&st.lease, leaseSQL}, {&st.saveState, saveFeedStateSQL},
		{&st.saveStates, saveFeedStatesSQL},
		{&st.moveFeed, moveFeedSQL}, {&st.release, releaseSQL},
	}
}

// ClaimDueFeeds leases up to limit due feeds, earliest due first. The single
// writer makes select-then-lease atomic: no two claimers, in this process or
// another, can lease the same feed.
func (s *Store) ClaimDueFeeds(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.Feed, error) {
	var feeds []store.Feed
	until := now.Add(lease).UnixMicro()
	err := s.inTx(ctx, "claim due feeds", func(ctx context.Context, tx *sql.Tx) error {
		feeds = feeds[:0]
		rows, err := tx.StmtContext(ctx, s.stmts.claim).QueryContext(ctx, now.UnixMicro(), limit)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, limit)
		for rows.Next() {
			f, err := scanFeed(rows)
			if err != nil {
				rows.Close()
				return err
			}
			f.LeasedUntil = fromMicros(sql.NullInt64{Int64: until, Valid: true})
			feeds = append(feeds, f)
			ids = append(ids, f.ID)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		list, _ := json.Marshal(ids) // an []int64 always marshals
		_, err = tx.StmtContext(ctx, s.stmts.lease).ExecContext(ctx, until, string(list))
		return err
	})
	if err != nil {
		return nil, err
	}
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

// censusSQL counts the feeds as FeedCensus does, in one pass over the table
// joined to the few live leases (a join, not a subquery per feed: a third
// of the time); ?1 is now.
const censusSQL = `
SELECT
    count(*) FILTER (WHERE polled AND NOT leased AND next_poll_at <= ?1),
    count(*) FILTER (WHERE polled AND NOT leased AND next_poll_at > ?1),
    count(*) FILTER (WHERE polled AND NOT leased AND next_poll_at > ?1 AND consecutive_errors > 0),
    min(next_poll_at) FILTER (WHERE polled AND NOT leased AND next_poll_at > ?1),
    count(*) FILTER (WHERE polled AND leased),
    count(*) FILTER (WHERE state = 'disabled'),
    count(*) FILTER (WHERE state = 'gone')
FROM (SELECT state, next_poll_at, consecutive_errors, state IN ` + polledStates + ` AS polled,
        l.feed_id IS NOT NULL AS leased
    FROM feeds LEFT JOIN feed_leases AS l ON l.feed_id = feeds.id AND l.until > ?1)`

// Census counts the feeds by what a pass claiming at now does with them.
func (s *Store) Census(ctx context.Context, now time.Time) (store.FeedCensus, error) {
	var c store.FeedCensus
	var next sql.NullInt64
	err := s.read.QueryRowContext(ctx, censusSQL, now.UnixMicro()).Scan(
		&c.Due, &c.NotDue, &c.BackingOff, &next, &c.Leased, &c.Disabled, &c.Gone)
	if err != nil {
		return store.FeedCensus{}, s.wrap("count feeds", err)
	}
	c.NextDue = fromMicros(next)
	return c, nil
}

// SaveFeedState records a poll's outcome and releases the feed's lease.
// An empty URL or State keeps the stored one; a Lease that another claim
// replaced saves nothing (store.ErrLeaseLost).
func (s *Store) SaveFeedState(ctx context.Context, r store.PollResult) error {
	return s.inTx(ctx, "save feed state", func(ctx context.Context, tx *sql.Tx) error {
		if err := s.saveFeedState(ctx, tx, r); err != nil {
			return err
		}
		return s.release(ctx, tx, []int64{r.FeedID})
	})
}

// SaveFeedStates saves several polls' outcomes in one transaction. A result
// whose lease was lost or whose feed is gone gets its own error and does not
// stop the others; when the transaction itself fails, each result is saved
// alone so that every one gets the answer it would have had by itself.
func (s *Store) SaveFeedStates(ctx context.Context, rs []store.PollResult) []error {
	errs := make([]error, len(rs))
	batch, together := statesJSON(rs)
	err := s.inTx(ctx, "save feed states", func(ctx context.Context, tx *sql.Tx) error {
		if together {
			all, err := s.saveAllStates(ctx, tx, rs, batch)
			if err != nil || all {
				return err
			}
			// A lease was lost or a feed is gone: the row-by-row saves
			// below find which, and write the others' rows again with the
			// same values.
		}
		saved := make([]int64, 0, len(rs))
		for i, r := range rs {
			err := s.saveFeedState(ctx, tx, r)
			switch {
			case err == nil:
				saved = append(saved, r.FeedID)
			case errors.Is(err, store.ErrLeaseLost) || errors.Is(err, store.ErrNotFound):
			default:
				return err
			}
			errs[i] = err
		}
		return s.release(ctx, tx, saved)
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

// saveAllStates writes a batch's states with one statement (batch is
// statesJSON's) and, when every row was written, releases their leases and
// moves the feeds that moved. all is false when some feed's lease was lost
// or the feed is gone: the caller then saves row by row.
func (s *Store) saveAllStates(ctx context.Context, tx *sql.Tx, rs []store.PollResult, batch string) (all bool, err error) {
	res, err := tx.StmtContext(ctx, s.stmts.saveStates).ExecContext(ctx, batch)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(rs)) {
		return false, err
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.FeedID
		if r.URL != "" {
			if _, err := tx.StmtContext(ctx, s.stmts.moveFeed).ExecContext(ctx, r.URL, r.FeedID, r.URL); err != nil {
				return false, err
			}
		}
	}
	return true, s.release(ctx, tx, ids)
}

// statesJSON encodes rs for saveFeedStatesSQL: an array of [id, state, etag,
// last_modified, body_hash, polled_at, next_poll_at, status, error, errors,
// identity_policy, redirect_to, item_dates, lease] rows, NULL as null. ok
// is false when the batch cannot be saved in one statement: a feed appears
// twice, or a text is not valid UTF-8 (JSON would not carry its bytes as
// they are, and a bound parameter does).
func statesJSON(rs []store.PollResult) (batch string, ok bool) {
	seen := make(map[int64]struct{}, len(rs))
	b := make([]byte, 0, 160*len(rs))
	b = append(b, '[')
	for i, r := range rs {
		if _, dup := seen[r.FeedID]; dup {
			return "", false
		}
		seen[r.FeedID] = struct{}{}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, r.FeedID, 10)
		for _, t := range [...]string{string(r.State), r.ETag, r.LastModified, r.BodyHash} {
			b = append(b, ',')
			if b, ok = appendJSONString(b, t); !ok {
				return "", false
			}
		}
		b = appendMicros(append(b, ','), r.PolledAt)
		b = appendMicros(append(b, ','), r.NextPollAt)
		b = strconv.AppendInt(append(b, ','), int64(r.Status), 10)
		if b, ok = appendJSONString(append(b, ','), r.Error); !ok {
			return "", false
		}
		b = strconv.AppendInt(append(b, ','), int64(r.ConsecutiveErrors), 10)
		for _, t := range [...]string{r.IdentityPolicy, r.RedirectTo} {
			if b, ok = appendJSONString(append(b, ','), t); !ok {
				return "", false
			}
		}
		b = append(b, ',')
		if dates, isText := itemDatesJSON(r.ItemDates).(string); isText {
			b, _ = appendJSONString(b, dates) // digits, commas and brackets
		} else {
			b = append(b, "null"...)
		}
		b = appendMicros(append(b, ','), r.Lease)
		b = append(b, ']')
	}
	return string(append(b, ']')), true
}

// appendMicros appends t as micros does: an integer, or null for the zero time.
func appendMicros(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, t.UnixMicro(), 10)
}

// appendJSONString appends s as a JSON string; ok is false when s is not
// valid UTF-8.
func appendJSONString(b []byte, s string) (_ []byte, ok bool) {
	if !utf8.ValidString(s) {
		return b, false
	}
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"'), true
}

// saveFeedState writes one poll's state inside the caller's transaction,
// if the feed still carries the poll's lease; it writes nothing when it
// fails with ErrLeaseLost or ErrNotFound. The caller then releases the
// lease.
func (s *Store) saveFeedState(ctx context.Context, tx *sql.Tx, r store.PollResult) error {
	res, err := tx.StmtContext(ctx, s.stmts.saveState).ExecContext(ctx,
		r.State, r.ETag, r.LastModified, r.BodyHash, micros(r.PolledAt),
		micros(r.NextPollAt), r.Status, r.Error, r.ConsecutiveErrors, r.IdentityPolicy,
		r.RedirectTo, itemDatesJSON(r.ItemDates), r.FeedID, micros(r.Lease))
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
		if _, err := tx.StmtContext(ctx, s.stmts.moveFeed).ExecContext(ctx, r.URL, r.FeedID, r.URL); err != nil {
			return err
		}
	}
	return nil
}

// release ends the leases of feeds whose state was saved.
func (s *Store) release(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	list, _ := json.Marshal(ids) // an []int64 always marshals
	_, err := tx.StmtContext(ctx, s.stmts.release).ExecContext(ctx, string(list))
	return err
}
