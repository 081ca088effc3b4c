package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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

// SyncFeeds makes feeds the set of enabled feeds; it is SyncFeedsFrom with
// no source.
func (s *Store) SyncFeeds(ctx context.Context, feeds []store.FeedConfig) error {
	return s.SyncFeedsFrom(ctx, feeds, nil)
}

// SyncFeedsFrom makes feeds, parsed from source, the set of enabled feeds,
// in one transaction: new ones are added, known ones get their
// configuration, and the rest are disabled. A feed that was disabled
// (dropped from the list earlier) is back in the list, so it is active
// again; gone and blocked keep their state. A list that changes nothing
// writes nothing and takes no lock: a list whose digest is the one
// feed_list_synced holds (the schema's triggers clear it whenever the feeds
// change otherwise) costs one read of a row; any other is compared with the
// stored feeds (store.SyncChangesNothing), and its digest recorded once they
// match. The source is recorded with the digest, so that the next poll of
// the same file need not parse it (SyncedFrom).
func (s *Store) SyncFeedsFrom(ctx context.Context, feeds []store.FeedConfig, source []byte) error {
	digest := store.ListDigest(feeds)
	held, heldSource, gen, err := s.syncedDigest(ctx)
	if err != nil {
		return err
	}
	if bytes.Equal(held, digest) {
		if source == nil || bytes.Equal(heldSource, source) {
			return nil
		}
		// Another file (a comment edited) with the same list: record it,
		// or every poll would parse it again.
		return s.recordSynced(ctx, digest, source, gen)
	}
	stored, err := s.listedFeeds(ctx)
	if err != nil {
		return err
	}
	if store.SyncChangesNothing(stored, feeds) {
		return s.recordSynced(ctx, digest, source, gen)
	}
	if err := s.writeFeedList(ctx, feeds); err != nil {
		return err
	}
	// The digest is recorded after the commit, by a comparison like the one
	// above, not inside the writing transaction: another transaction may
	// change a feed between the sync's statements and its commit, which
	// the sync's own writes would not show. The next sync compares again
	// if this one finds the list changed already.
	if _, _, gen, err = s.syncedDigest(ctx); err != nil {
		return err
	}
	if stored, err = s.listedFeeds(ctx); err != nil {
		return err
	}
	if store.SyncChangesNothing(stored, feeds) {
		return s.recordSynced(ctx, digest, source, gen)
	}
	return nil
}

// SyncedFrom reports whether the feeds are what the last SyncFeedsFrom of
// source made them: one read of a row.
func (s *Store) SyncedFrom(ctx context.Context, source []byte) (bool, error) {
	held, heldSource, _, err := s.syncedDigest(ctx)
	if err != nil {
		return false, err
	}
	return held != nil && source != nil && bytes.Equal(heldSource, source), nil
}

// syncedDigest reads the digest of the feed list last synced and of the
// source it was parsed from (digest nil when the feeds changed since;
// source nil when not known), and the count of transactions that changed
// the list.
func (s *Store) syncedDigest(ctx context.Context) (digest, source []byte, gen int64, err error) {
	err = s.pool.QueryRow(ctx, `SELECT digest, source_digest, gen FROM feed_list_synced`).Scan(&digest, &source, &gen)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("postgres: read synced feed list digest: %w", err)
	}
	return digest, source, gen, nil
}

// recordSynced records the digest of a list, and the source it was parsed
// from, that matched the feeds when gen was read (SyncChangesNothing, or
// the held digest itself): if gen is still the same, no feed changed since
// the match, in a transaction committed or still open (its deferred
// trigger would wait for this row, then count one more).
func (s *Store) recordSynced(ctx context.Context, digest, source []byte, gen int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE feed_list_synced SET digest = $1, source_digest = $2 WHERE gen = $3`, digest, source, gen); err != nil {
		return writeErr("record synced feed list", err)
	}
	return nil
}

// writeFeedList is the writing part of SyncFeeds.
func (s *Store) writeFeedList(ctx context.Context, feeds []store.FeedConfig) error {
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

// saveStatesTogether saves the whole batch with one UPDATE over arrays of
// its columns, in one transaction: a statement per save (even sent in one
// round trip) cost the server an executor start-up and a plan each, most
// of its work in a 304 pass. A batch naming one feed twice is not saved
// together (the UPDATE would write the row once).
func (s *Store) saveStatesTogether(ctx context.Context, rs []store.PollResult, errs []error) error {
	cols, ok := saveStatesColumns(rs)
	if !ok {
		return errors.New("postgres: a feed saved twice in one batch")
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, saveStatesSQL, cols...)
	if err != nil {
		return writeErr("save feed states", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return writeErr("save feed states", err)
	}
	saved := make(map[int64]bool, len(ids))
	for _, id := range ids {
		saved[id] = true
	}
	for i, r := range rs {
		if saved[r.FeedID] {
			continue
		}
		err := notSaved(ctx, tx, r)
		if !errors.Is(err, store.ErrLeaseLost) && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		errs[i] = err
	}
	return tx.Commit(ctx)
}

// saveStatesSQL is saveStateSQL for a batch: one row of arrays $1..$15 per
// poll, each saved only while its feed carries the poll's lease; it
// returns the ids it saved.
const saveStatesSQL = `
		UPDATE feeds f SET
			url = CASE WHEN r.url = '' OR EXISTS (SELECT 1 FROM feeds o WHERE o.url = r.url AND o.id <> r.id)
			           THEN f.url ELSE r.url END,
			state = COALESCE(NULLIF(r.state, ''), f.state),
			etag = r.etag, last_modified = r.last_modified, body_hash = r.body_hash,
			last_poll_at = r.polled_at, next_poll_at = COALESCE(r.next_poll_at, f.next_poll_at),
			last_status = r.status, last_error = r.error, consecutive_errors = r.errors,
			identity_policy = r.identity_policy, redirect_to = r.redirect_to,
			item_dates = COALESCE(r.item_dates::bigint[], f.item_dates),
			leased_until = NULL
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
				$7::timestamptz[], $8::timestamptz[], $9::int[], $10::text[], $11::int[],
				$12::text[], $13::text[], $14::text[], $15::timestamptz[])
			AS r(id, url, state, etag, last_modified, body_hash, polled_at, next_poll_at,
				status, error, errors, identity_policy, redirect_to, item_dates, lease)
		WHERE f.id = r.id AND (r.lease IS NULL OR f.leased_until = r.lease)
		RETURNING f.id`

// saveStatesColumns are saveStatesSQL's arguments: rs by column. ok is false
// when a feed appears twice.
func saveStatesColumns(rs []store.PollResult) (cols []any, ok bool) {
	n := len(rs)
	var (
		ids                                   = make([]int64, n)
		urls, states, etags, lastMods, hashes = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		polled, next, leases                  = make([]*time.Time, n), make([]*time.Time, n), make([]*time.Time, n)
		statuses, errCounts                   = make([]int32, n), make([]int32, n)
		errTexts, policies, redirects         = make([]string, n), make([]string, n), make([]string, n)
		dates                                 = make([]*string, n)
		seen                                  = make(map[int64]bool, n)
	)
	for i, r := range rs {
		if seen[r.FeedID] {
			return nil, false
		}
		seen[r.FeedID] = true
		ids[i], urls[i], states[i] = r.FeedID, r.URL, string(r.State)
		etags[i], lastMods[i], hashes[i] = r.ETag, r.LastModified, r.BodyHash
		polled[i], next[i], leases[i] = nullTime(r.PolledAt), nullTime(r.NextPollAt), nullTime(r.Lease)
		statuses[i], errCounts[i] = int32(r.Status), int32(r.ConsecutiveErrors)
		errTexts[i], policies[i], redirects[i] = r.Error, r.IdentityPolicy, r.RedirectTo
		dates[i] = arrayLiteral(itemDateSeconds(r.ItemDates))
	}
	return []any{ids, urls, states, etags, lastMods, hashes, polled, next, statuses, errTexts, errCounts,
		policies, redirects, dates, leases}, true
}

// arrayLiteral writes a bigint[] as PostgreSQL's text form ("{1,2}"), nil as
// NULL: a column of arrays travels as text, since an array of arrays must
// be rectangular.
func arrayLiteral(v []int64) *string {
	if v == nil {
		return nil
	}
	b := make([]byte, 0, 2+12*len(v))
	b = append(b, '{')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, x, 10)
	}
	s := string(append(b, '}'))
	return &s
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
