package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
	// claimWhere picks the earliest due feeds that no live lease holds
	// (claimSQL). It walks the feeds_polled_due index in order and stops
	// after the batch.
	claimWhere = `
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
    consecutive_errors = ?, identity_policy = ?, redirect_to = ?
WHERE id = ?12 AND (?13 IS NULL OR EXISTS (SELECT 1 FROM feed_leases WHERE feed_id = ?12 AND until = ?13))`
	// keepStateSQL is saveFeedStateSQL for a result that keeps the stored
	// state (State ""), as most polls' do. SQLite checks the CHECK on state
	// only when a SET names the column, and it checks that IN list by
	// building a temporary B-tree of the four states on every row written:
	// leaving the column out took BenchmarkPollCycle from 31–33 to 28–30
	// CPU-µs per feed. The same arguments, ?1 unused.
	keepStateSQL = `
UPDATE feeds SET
    etag = ?2, last_modified = ?, body_hash = ?, last_poll_at = ?,
    next_poll_at = coalesce(?, next_poll_at), last_status = ?, last_error = ?,
    consecutive_errors = ?, identity_policy = ?, redirect_to = ?
WHERE id = ?12 AND (?13 IS NULL OR EXISTS (SELECT 1 FROM feed_leases WHERE feed_id = ?12 AND until = ?13))`
	// moveFeedSQL keeps the old URL when another feed has the new one: that
	// row is the one the user listed.
	moveFeedSQL = `UPDATE OR IGNORE feeds SET url = ? WHERE id = ? AND url <> ?`
	// releaseSQL ends the leases of the feeds whose state was just saved (a
	// JSON array of ids): the save checked that each still had its poll's
	// lease, in the same transaction.
	releaseSQL = `DELETE FROM feed_leases WHERE feed_id IN (SELECT value FROM json_each(?))`
)

// statements are the prepared statements of the poll loop.
type statements struct {
	claim, lease, saveState, keepState, saveItemDates, moveFeed, release *sql.Stmt
	claimAfter, claimExcept                                              *sql.Stmt // a sole claimer's (alone.go)
	touch                                                                [len(touchRows)]*sql.Stmt
}

// stmtSQL is a statement to prepare and the text it is prepared from.
type stmtSQL struct {
	stmt **sql.Stmt
	sql  string
}

// claimSQL is the claim's query with the where clause where, given where
// the schema keeps item dates.
func claimSQL(itemDates, where string) string {
	return `SELECT ` + feedColumnsToLease + `NULL, ` + itemDates + ` FROM feeds` + where
}

func (st *statements) all(dates itemDatesSQL) []stmtSQL {
	return []stmtSQL{
		{&st.claim, claimSQL(dates.column, claimWhere)}, {&st.lease, leaseSQL},
		{&st.claimAfter, claimSQL(dates.column, claimAfterWhere)},
		{&st.claimExcept, claimSQL(dates.column, claimExceptWhere)},
		{&st.saveState, saveFeedStateSQL}, {&st.keepState, keepStateSQL},
		{&st.saveItemDates, dates.save},
		{&st.moveFeed, moveFeedSQL}, {&st.release, releaseSQL},
		{&st.touch[0], touchSQL(touchRows[0])}, {&st.touch[1], touchSQL(touchRows[1])},
		{&st.touch[2], touchSQL(touchRows[2])}, {&st.touch[3], touchSQL(touchRows[3])},
	}
}

// ClaimDueFeeds leases up to limit due feeds, earliest due first. The single
// writer makes select-then-lease atomic: no two claimers, in this process or
// another, can lease the same feed.
func (s *Store) ClaimDueFeeds(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.Feed, error) {
	if m := s.alone.Load(); m != nil {
		return s.claimAlone(ctx, m, now, limit, lease)
	}
	var feeds []store.Feed
	until := now.Add(lease).UnixMicro()
	err := s.inTx(ctx, "claim due feeds", func(ctx context.Context, tx *sql.Tx) error {
		if feeds == nil {
			feeds = make([]store.Feed, 0, min(limit, 256))
		}
		feeds = feeds[:0]
		rows, err := tx.StmtContext(ctx, s.stmts.claim).QueryContext(ctx, now.UnixMicro(), limit)
		if err != nil {
			return err
		}
		if feeds, err = scanClaimed(rows, feeds, nil); err != nil {
			return err
		}
		if len(feeds) == 0 {
			return nil
		}
		ids := make([]int64, len(feeds))
		for i := range feeds {
			feeds[i].LeasedUntil = fromMicros(sql.NullInt64{Int64: until, Valid: true})
			ids[i] = feeds[i].ID
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

// censusSQL counts the feeds as FeedCensus does, from indexes alone (a
// read of every feed row took 21 ms for 10,000 feeds, a fifth of a run that
// polls nothing): the polled feeds on either side of now from
// feeds_polled_due, less the few under a live lease; the backing-off ones
// from feeds_backing_off; the disabled and gone from feeds_not_polled. Each
// count repeats its index's WHERE terms, or SQLite would not use a partial
// index. ?1 is now. The leases are feed_leases's, or, for a sole claimer,
// the ids in the JSON array ?2 (censusAloneSQL).
var (
	censusSQL = censusOf(`feed_leases AS l CROSS JOIN feeds AS f ON f.id = l.feed_id WHERE l.until > ?1`,
		`NOT EXISTS (SELECT 1 FROM feed_leases WHERE feed_id = feeds.id AND until > ?1)`)
	censusAloneSQL = censusOf(`json_each(?2) AS l CROSS JOIN feeds AS f ON f.id = l.value WHERE true`,
		`id NOT IN (SELECT value FROM json_each(?2))`)
)

// censusOf is the census with the leased feeds joined by leasedJoin, and
// notLeased true of a feeds row without a live lease.
func censusOf(leasedJoin, notLeased string) string {
	return `
WITH leased AS (
    SELECT f.next_poll_at AS next, f.consecutive_errors AS errs
    FROM ` + leasedJoin + ` AND f.state IN ` + polledStates + `)
SELECT
    (SELECT count(*) FROM feeds WHERE state IN ` + polledStates + ` AND next_poll_at <= ?1)
        - (SELECT count(*) FROM leased WHERE next <= ?1),
    (SELECT count(*) FROM feeds WHERE state IN ` + polledStates + ` AND next_poll_at > ?1)
        - (SELECT count(*) FROM leased WHERE next > ?1),
    (SELECT count(*) FROM feeds WHERE consecutive_errors > 0 AND state IN ` + polledStates + ` AND next_poll_at > ?1)
        - (SELECT count(*) FROM leased WHERE next > ?1 AND errs > 0),
    (SELECT next_poll_at FROM feeds WHERE state IN ` + polledStates + ` AND next_poll_at > ?1
        AND ` + notLeased + `
        ORDER BY next_poll_at LIMIT 1),
    (SELECT count(*) FROM leased),
    (SELECT count(*) FROM feeds WHERE state IN ('disabled', 'gone') AND state = 'disabled'),
    (SELECT count(*) FROM feeds WHERE state IN ('disabled', 'gone') AND state = 'gone')`
}

// Census counts the feeds by what a pass claiming at now does with them.
func (s *Store) Census(ctx context.Context, now time.Time) (store.FeedCensus, error) {
	var c store.FeedCensus
	var next sql.NullInt64
	// On the write connection, as listedFeeds: a poll's census runs just
	// before its claims, on the same pages.
	q, args := censusSQL, []any{now.UnixMicro()}
	if m := s.alone.Load(); m != nil {
		list, _ := json.Marshal(m.leased(now.UnixMicro())) // an []int64 always marshals
		q, args = censusAloneSQL, append(args, string(list))
	}
	err := s.write.QueryRowContext(ctx, q, args...).Scan(
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
	m := s.alone.Load()
	err := s.inTx(ctx, "save feed state", func(ctx context.Context, tx *sql.Tx) error {
		if err := s.saveFeedState(ctx, &txStmts{tx: tx}, m, r); err != nil {
			return err
		}
		return s.release(ctx, tx, m, []int64{r.FeedID})
	})
	if err == nil && m != nil {
		m.saved([]store.PollResult{r}, []error{nil})
	}
	return err
}

// SaveFeedStates saves several polls' outcomes in one transaction. A result
// whose lease was lost or whose feed is gone gets its own error and does not
// stop the others; when the transaction itself fails, each result is saved
// alone so that every one gets the answer it would have had by itself.
func (s *Store) SaveFeedStates(ctx context.Context, rs []store.PollResult) []error {
	errs := make([]error, len(rs))
	m := s.alone.Load()
	err := s.inTx(ctx, "save feed states", func(ctx context.Context, tx *sql.Tx) error {
		saved := make([]int64, 0, len(rs))
		ts := &txStmts{tx: tx}
		// Inside the transaction, as the leases are checked: a claim
		// between the check and the write could take a lease over.
		touchable := m.touchable(rs)
		var touches []int
		for i, r := range rs {
			if touchable[i] {
				m.saving(&r)
				errs[i] = nil // touch sets the errors of a second try afresh
				touches = append(touches, i)
				continue
			}
			err := s.saveFeedState(ctx, ts, m, r)
			switch {
			case err == nil:
				saved = append(saved, r.FeedID)
			case errors.Is(err, store.ErrLeaseLost) || errors.Is(err, store.ErrNotFound):
			default:
				return err
			}
			errs[i] = err
		}
		if len(touches) > 0 {
			if err := s.touch(ctx, ts, rs, touches, errs); err != nil {
				return err
			}
		}
		return s.release(ctx, tx, m, saved)
	})
	if err == nil {
		if m != nil {
			m.saved(rs, errs)
		}
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

// saveFeedState writes one poll's state inside the caller's transaction,
// if the feed still carries the poll's lease (in m for a sole claimer); it
// writes nothing when it fails with ErrLeaseLost or ErrNotFound. The caller
// then releases the lease.
func (s *Store) saveFeedState(ctx context.Context, ts *txStmts, m *memLeases, r store.PollResult) error {
	tx := ts.tx
	lease := micros(r.Lease)
	if m != nil && lease != nil {
		if _, held := m.holds(r.FeedID, r.Lease.UnixMicro()); !held {
			return s.leaseLostOrGone(ctx, tx, r.FeedID)
		}
		lease = nil // held: no feed_leases row to look up
	}
	if m != nil {
		m.saving(&r)
	}
	var stmt *sql.Stmt
	if r.State == "" {
		stmt = ts.bind(ctx, &ts.keepState, s.stmts.keepState)
	} else {
		stmt = ts.bind(ctx, &ts.saveState, s.stmts.saveState)
	}
	res, err := stmt.ExecContext(ctx,
		r.State, r.ETag, r.LastModified, r.BodyHash, micros(r.PolledAt),
		micros(r.NextPollAt), r.Status, r.Error, r.ConsecutiveErrors, r.IdentityPolicy,
		r.RedirectTo, r.FeedID, lease)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.leaseLostOrGone(ctx, tx, r.FeedID)
	}
	if r.ItemDates != nil {
		if _, err := ts.bind(ctx, &ts.saveItemDates, s.stmts.saveItemDates).ExecContext(ctx, r.FeedID, itemDatesJSON(r.ItemDates)); err != nil {
			return err
		}
	}
	if r.URL != "" {
		if _, err := ts.bind(ctx, &ts.moveFeed, s.stmts.moveFeed).ExecContext(ctx, r.URL, r.FeedID, r.URL); err != nil {
			return err
		}
	}
	return nil
}

// leaseLostOrGone is the error of a save refused for feed id:
// store.ErrLeaseLost if the feed exists, store.ErrNotFound if not.
func (s *Store) leaseLostOrGone(ctx context.Context, tx *sql.Tx, id int64) error {
	exists, err := feedExists(ctx, tx, id)
	switch {
	case err != nil:
		return err
	case exists:
		return store.ErrLeaseLost
	}
	return store.ErrNotFound
}

// feedExists reports whether feed id is in the feeds table, inside tx.
func feedExists(ctx context.Context, tx *sql.Tx, id int64) (bool, error) {
	var exists bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM feeds WHERE id = ?)`, id).Scan(&exists)
	return exists, err
}

// txStmts are the save statements bound to one transaction, each bound
// once: Tx.StmtContext makes a new statement (and takes the connection)
// on every call, and a batch saves up to hundreds of states. The
// transaction closes them when it ends.
type txStmts struct {
	tx                                            *sql.Tx
	saveState, keepState, saveItemDates, moveFeed *sql.Stmt
	touch                                         [len(touchRows)]*sql.Stmt
}

// bind returns *bound, binding prepared to the transaction first if it is
// not yet.
func (ts *txStmts) bind(ctx context.Context, bound **sql.Stmt, prepared *sql.Stmt) *sql.Stmt {
	if *bound == nil {
		*bound = ts.tx.StmtContext(ctx, prepared)
	}
	return *bound
}

// release ends the leases of feeds whose state was saved; a sole
// claimer's end once the transaction commits (memLeases.saved).
func (s *Store) release(ctx context.Context, tx *sql.Tx, m *memLeases, ids []int64) error {
	if len(ids) == 0 || m != nil {
		return nil
	}
	list, _ := json.Marshal(ids) // an []int64 always marshals
	_, err := tx.StmtContext(ctx, s.stmts.release).ExecContext(ctx, string(list))
	return err
}
