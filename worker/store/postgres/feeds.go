package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wiresift/wiresift/worker/store"
)

// feedConfigRow is one feed of a synced list, as JSON.
type feedConfigRow struct {
	URL      string   `json:"url"`
	Name     string   `json:"name"`
	Tags     []string `json:"tags"`
	Interval int64    `json:"interval_ns"`
}

// feedList reads a synced list ($1, a JSON array of feedConfigRow) as rows
// numbered in list order (o), so that the last of two lines wins.
const feedList = `ROWS FROM (jsonb_to_recordset($1::jsonb) AS (url text, name text, tags text[], interval_ns bigint))
	WITH ORDINALITY AS n(url, name, tags, interval_ns, o)`

// SyncFeeds makes feeds the set of enabled feeds, in one transaction: new ones
// are added, known ones get their configuration, and the rest are disabled.
// A feed that was disabled (dropped from the list earlier) is back in the
// list, so it is active again; gone and blocked keep their state. A list
// that changes nothing (store.SyncChangesNothing, checked with one read
// first) writes nothing and takes no lock.
func (s *Store) SyncFeeds(ctx context.Context, feeds []store.FeedConfig) error {
	stored, err := s.listedFeeds(ctx)
	if err != nil {
		return err
	}
	if store.SyncChangesNothing(stored, feeds) {
		return nil
	}
	urls := make([]string, 0, len(feeds))
	rows := make([]feedConfigRow, 0, len(feeds))
	for _, f := range feeds {
		urls = append(urls, f.URL)
		rows = append(rows, feedConfigRow{URL: f.URL, Name: f.Name, Tags: tagsOf(f), Interval: int64(f.Interval)})
	}
	list, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("postgres: sync feeds: %w", err)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Every worker syncs its feeds file when it starts, often at the
		// same moment: one sync at a time, so two lists never lock the
		// same rows in different orders (a deadlock).
		if err := lockAll(ctx, tx, []int64{lockKey("sync", "feeds")}); err != nil {
			return err
		}
		// Two statements for the whole list, however long: new feeds are
		// inserted, and only the feeds whose configuration changed are
		// updated. An unchanged list (every poll syncs the feeds file)
		// then writes and locks no row, so it costs little and cannot
		// deadlock with the claims and saves of workers already polling.
		if _, err := tx.Exec(ctx, `
			INSERT INTO feeds (url, name, tags, interval_ns)
			SELECT url, name, tags, interval_ns FROM `+feedList+` ORDER BY o
			ON CONFLICT (url) DO NOTHING`, list); err != nil {
			return fmt.Errorf("add feeds: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE feeds f SET name = n.name, tags = n.tags, interval_ns = n.interval_ns,
				state = CASE WHEN f.state = 'disabled' THEN 'active' ELSE f.state END
			FROM (SELECT DISTINCT ON (url) url, name, tags, interval_ns FROM `+feedList+` ORDER BY url, o DESC) AS n
			WHERE f.url = n.url AND (f.name IS DISTINCT FROM n.name OR f.tags IS DISTINCT FROM n.tags
				OR f.interval_ns IS DISTINCT FROM n.interval_ns OR f.state = 'disabled')`, list); err != nil {
			return fmt.Errorf("update feeds: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE feeds SET state = 'disabled', leased_until = NULL
			WHERE state <> 'disabled' AND NOT (url = ANY($1))`, urls); err != nil {
			return fmt.Errorf("disable unlisted feeds: %w", err)
		}
		return nil
	})
	if err != nil {
		return writeErr("sync feeds", err)
	}
	return nil
}

// listedFeeds reads every feed as a sync compares it with the feed list.
func (s *Store) listedFeeds(ctx context.Context) ([]store.ListedFeed, error) {
	rows, err := s.pool.Query(ctx, `SELECT url, name, tags, interval_ns, state = 'disabled' FROM feeds`)
	if err != nil {
		return nil, fmt.Errorf("postgres: read feed list: %w", err)
	}
	feeds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.ListedFeed, error) {
		var f store.ListedFeed
		var interval int64
		err := r.Scan(&f.URL, &f.Name, &f.Tags, &interval, &f.Disabled)
		f.Interval = time.Duration(interval)
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: read feed list: %w", err)
	}
	return feeds, nil
}

// AddFeed adds one feed, or re-enables a removed one; store.ErrFeedExists if
// the URL is known and not disabled.
func (s *Store) AddFeed(ctx context.Context, f store.FeedConfig) error {
	// A disabled feed (removed earlier) is added again; any other known
	// feed is left alone and reported.
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO feeds (url, name, tags, interval_ns) VALUES ($1, $2, $3, $4)
		ON CONFLICT (url) DO UPDATE SET
			name = excluded.name, tags = excluded.tags,
			interval_ns = excluded.interval_ns, state = 'active'
		WHERE feeds.state = 'disabled'`,
		f.URL, f.Name, tagsOf(f), int64(f.Interval))
	if err != nil {
		return writeErr("add feed "+f.URL, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: add feed %s: %w", f.URL, store.ErrFeedExists)
	}
	return nil
}

// RemoveFeed disables a feed; its articles and sources stay in the archive.
func (s *Store) RemoveFeed(ctx context.Context, url string) error {
	return s.SetFeedState(ctx, url, store.FeedDisabled)
}

// SetFeedState changes a feed's state; store.ErrNotFound if the URL is unknown.
func (s *Store) SetFeedState(ctx context.Context, url string, state store.FeedState) error {
	tag, err := s.pool.Exec(ctx, `UPDATE feeds SET state = $2 WHERE url = $1`, url, state)
	if err != nil {
		return writeErr("set state of feed "+url, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: feed %s: %w", url, store.ErrNotFound)
	}
	return nil
}

// Feeds lists every feed in id order with the number of sources seen through it.
func (s *Store) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+feedColumns+`,
		(SELECT count(*) FROM sources WHERE sources.feed_id = feeds.id)
		FROM feeds ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list feeds: %w", err)
	}
	feeds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Feed, error) {
		var fr feedRow
		var articles int
		err := r.Scan(append(fr.targets(), &articles)...)
		f := fr.feed()
		f.Articles = articles
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list feeds: %w", err)
	}
	return feeds, nil
}

// ClaimDueFeeds leases up to limit due feeds, active or blocked (a blocked
// feed is still polled, with backoff), earliest first. SKIP LOCKED lets concurrent
// claimers pass over rows another transaction is claiming instead of waiting
// for it, and the lease check keeps a claimed feed away from everyone else
// until SaveFeedState releases it or the lease expires (its worker died).
// Times are the caller's clock: workers on several machines need NTP.
func (s *Store) ClaimDueFeeds(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.Feed, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `
		UPDATE feeds SET leased_until = $1::timestamptz + $3 * interval '1 microsecond'
		WHERE id IN (
			SELECT id FROM feeds
			WHERE state IN ('active', 'blocked') AND next_poll_at <= $1
			  AND (leased_until IS NULL OR leased_until <= $1)
			ORDER BY next_poll_at, id
			LIMIT $2
			FOR UPDATE SKIP LOCKED)
		RETURNING `+feedColumns,
		now, limit, lease.Microseconds())
	if err != nil {
		return nil, writeErr("claim due feeds", err)
	}
	feeds, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Feed, error) {
		var fr feedRow
		err := r.Scan(fr.targets()...)
		return fr.feed(), err
	})
	if err != nil {
		return nil, writeErr("claim due feeds", err)
	}
	sortByDue(feeds)
	return feeds, nil
}

// NextDue is the earliest next poll among polled (active or blocked) feeds,
// zero when there is none.
func (s *Store) NextDue(ctx context.Context) (time.Time, error) {
	var t *time.Time
	err := s.pool.QueryRow(ctx,
		`SELECT min(next_poll_at) FROM feeds WHERE state IN ('active', 'blocked')`).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("postgres: next due: %w", err)
	}
	return timeOrZero(t), nil
}

// Census counts the feeds by what a pass claiming at now does with them, in
// one scan of the table.
func (s *Store) Census(ctx context.Context, now time.Time) (store.FeedCensus, error) {
	var c store.FeedCensus
	var next *time.Time
	err := s.pool.QueryRow(ctx, `
		SELECT
			count(*) FILTER (WHERE c = 'due'),
			count(*) FILTER (WHERE c = 'later'),
			count(*) FILTER (WHERE c = 'later' AND consecutive_errors > 0),
			min(next_poll_at) FILTER (WHERE c = 'later'),
			count(*) FILTER (WHERE c = 'leased'),
			count(*) FILTER (WHERE c = 'disabled'),
			count(*) FILTER (WHERE c = 'gone')
		FROM (SELECT next_poll_at, consecutive_errors, CASE
				WHEN state IN ('disabled', 'gone') THEN state
				WHEN leased_until > $1 THEN 'leased'
				WHEN next_poll_at > $1 THEN 'later'
				ELSE 'due' END AS c
			FROM feeds) AS f`, now).Scan(
		&c.Due, &c.NotDue, &c.BackingOff, &next, &c.Leased, &c.Disabled, &c.Gone)
	if err != nil {
		return store.FeedCensus{}, fmt.Errorf("postgres: count feeds: %w", err)
	}
	c.NextDue = timeOrZero(next)
	return c, nil
}

// SaveFeedState records a poll and releases the feed's lease; a Lease that
// another worker's claim replaced saves nothing (store.ErrLeaseLost). Empty URL or
// State, zero NextPollAt and nil ItemDates keep the stored ones. A permanent
// redirect onto a URL that another feed already has keeps the old URL (the
// other row is the one the user listed); the rest of the state is saved.
func (s *Store) SaveFeedState(ctx context.Context, r store.PollResult) error {
	return saveFeedState(ctx, s.pool, r)
}

// SaveFeedStates saves several polls' outcomes in one transaction. A result
// whose lease was lost or whose feed is gone gets its own error and does not
// stop the others; when the transaction itself fails, each result is saved
// alone so that every one gets the answer it would have had by itself.
func (s *Store) SaveFeedStates(ctx context.Context, rs []store.PollResult) []error {
	errs := make([]error, len(rs))
	if s.saveStatesTogether(ctx, rs, errs) == nil {
		return errs
	}
	for i, r := range rs {
		errs[i] = s.SaveFeedState(ctx, r)
	}
	return errs
}

// saveStatesTogether sends every save of the batch in one round trip (a
// pgx batch inside the transaction): one save per round trip made the
// saver's goroutine, which waits on each, the bound of a 304 pass.
func (s *Store) saveStatesTogether(ctx context.Context, rs []store.PollResult, errs []error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var batch pgx.Batch
	for _, r := range rs {
		batch.Queue(saveStateSQL, saveStateArgs(r)...)
	}
	res := tx.SendBatch(ctx, &batch)
	var missed []int
	for i, r := range rs {
		tag, err := res.Exec()
		if err != nil {
			res.Close()
			return writeErr(fmt.Sprintf("save state of feed %d", r.FeedID), err)
		}
		if tag.RowsAffected() == 0 {
			missed = append(missed, i)
		}
	}
	if err := res.Close(); err != nil {
		return err
	}
	for _, i := range missed {
		err := notSaved(ctx, tx, rs[i])
		if !errors.Is(err, store.ErrLeaseLost) && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		errs[i] = err
	}
	return tx.Commit(ctx)
}

// execQuerier is what saveFeedState needs: the pool or a transaction.
type execQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// saveStateSQL saves one poll's state if the feed still carries the poll's
// lease; saveStateArgs are its arguments.
const saveStateSQL = `
		UPDATE feeds SET
			url = CASE WHEN $2 = '' OR EXISTS (SELECT 1 FROM feeds f WHERE f.url = $2 AND f.id <> $1)
			           THEN url ELSE $2 END,
			state = COALESCE(NULLIF($3, ''), state),
			etag = $4, last_modified = $5, body_hash = $6,
			last_poll_at = $7, next_poll_at = COALESCE($8, next_poll_at),
			last_status = $9, last_error = $10, consecutive_errors = $11,
			identity_policy = $12, redirect_to = $13,
			item_dates = COALESCE($14, item_dates),
			leased_until = NULL
		WHERE id = $1 AND ($15::timestamptz IS NULL OR leased_until = $15)`

func saveStateArgs(r store.PollResult) []any {
	return []any{r.FeedID, r.URL, r.State, r.ETag, r.LastModified, r.BodyHash,
		nullTime(r.PolledAt), nullTime(r.NextPollAt), r.Status, r.Error, r.ConsecutiveErrors,
		r.IdentityPolicy, r.RedirectTo, itemDateSeconds(r.ItemDates), nullTime(r.Lease)}
}

func saveFeedState(ctx context.Context, q execQuerier, r store.PollResult) error {
	tag, err := q.Exec(ctx, saveStateSQL, saveStateArgs(r)...)
	if err != nil {
		return writeErr(fmt.Sprintf("save state of feed %d", r.FeedID), err)
	}
	if tag.RowsAffected() == 0 {
		return notSaved(ctx, q, r)
	}
	return nil
}

// notSaved says why a save updated no row: the lease was lost, or the feed
// is gone.
func notSaved(ctx context.Context, q execQuerier, r store.PollResult) error {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM feeds WHERE id = $1)`, r.FeedID).Scan(&exists); err != nil {
		return writeErr(fmt.Sprintf("save state of feed %d", r.FeedID), err)
	}
	if exists {
		return fmt.Errorf("postgres: save state of feed %d: %w", r.FeedID, store.ErrLeaseLost)
	}
	return fmt.Errorf("postgres: save state of feed %d: %w", r.FeedID, store.ErrNotFound)
}
