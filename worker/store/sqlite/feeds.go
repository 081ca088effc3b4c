package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// upsertFeed adds a feed, due at once, or updates a known one's
// configuration; a disabled feed is re-enabled, any other state is kept.
const upsertFeed = `
INSERT INTO feeds (url, name, tags, interval_ns, next_poll_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET
    name = excluded.name, tags = excluded.tags, interval_ns = excluded.interval_ns,
    state = CASE state WHEN 'disabled' THEN 'active' ELSE state END`

func tagsJSON(tags []string) string {
	if len(tags) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(tags) // a []string always marshals
	return string(b)
}

// syncFeeds upserts a whole list in one statement, from a JSON array of
// [url, name, tags, interval_ns] rows, and rewrites only the rows whose
// configuration changed: every poll syncs the feeds file, and rewriting ten
// thousand unchanged rows (and their WAL pages) was a quarter of a 304
// pass's CPU.
const syncFeeds = `
INSERT INTO feeds (url, name, tags, interval_ns, next_poll_at)
SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, ? FROM json_each(?) AS j WHERE true
ON CONFLICT (url) DO UPDATE SET
    name = excluded.name, tags = excluded.tags, interval_ns = excluded.interval_ns,
    state = CASE state WHEN 'disabled' THEN 'active' ELSE state END
WHERE name IS NOT excluded.name OR tags IS NOT excluded.tags
    OR interval_ns IS NOT excluded.interval_ns OR state = 'disabled'`

// SyncFeeds makes feeds the set of enabled feeds; it is SyncFeedsFrom with
// no source.
func (s *Store) SyncFeeds(ctx context.Context, feeds []store.FeedConfig) error {
	return s.SyncFeedsFrom(ctx, feeds, nil)
}

// SyncFeedsFrom makes feeds, parsed from source, the set of enabled feeds.
// A list whose digest is the one feed_list_synced holds changes nothing
// (the schema's triggers clear the digest whenever the feeds change
// otherwise): that costs one read of a row. Otherwise the stored list is
// read and compared; a list that changes nothing (store.SyncChangesNothing)
// writes only its digest, and the next sync of it reads one row again.
// Neither waits for the write lock for ten thousand rows. The source is
// recorded with the digest, so that the next poll of the same file need not
// parse it (SyncedFrom).
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
	rows := make([][4]any, len(feeds))
	urls := make([]string, len(feeds))
	for i, f := range feeds {
		rows[i] = [4]any{f.URL, f.Name, tagsJSON(f.Tags), int64(f.Interval)}
		urls[i] = f.URL
	}
	list, err := json.Marshal(rows)
	if err != nil {
		return fmt.Errorf("sqlite: sync feeds: %w", err)
	}
	urlList, _ := json.Marshal(urls) // a []string always marshals
	m := s.alone.Load()
	var dropped []int64
	err = s.inTx(ctx, "sync feeds", func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, syncFeeds, time.Now().UnixMicro(), string(list)); err != nil {
			return fmt.Errorf("save feeds: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE feeds SET state = 'disabled'
WHERE state <> 'disabled' AND url NOT IN (SELECT value FROM json_each(?))`, string(urlList)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
DELETE FROM feed_leases WHERE feed_id IN (SELECT id FROM feeds WHERE state = 'disabled')`); err != nil {
			return err
		}
		if m != nil {
			var err error
			if dropped, err = m.disabled(ctx, tx); err != nil {
				return err
			}
		}
		// Last, after the triggers of the writes above cleared it: the
		// feeds are now what this list makes them, and SQLite's one writer
		// lets no other change in before the commit.
		_, err := tx.ExecContext(ctx, `UPDATE feed_list_synced SET digest = ?, source_digest = ?`, digest, source)
		return err
	})
	if err == nil {
		m.drop(dropped...) // a feed listed again is due from now
	}
	return err
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

// recordSynced records the digest of a list, and the source it was parsed
// from, that matched the feeds when gen was read (SyncChangesNothing, or the
// held digest itself): if gen is still the same, no feed changed since, and
// the match holds for the feeds as they are.
func (s *Store) recordSynced(ctx context.Context, digest, source []byte, gen int64) error {
	if s.readOnly {
		return nil // the list changes nothing; the next sync compares again
	}
	return s.inTx(ctx, "record synced feed list", func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE feed_list_synced SET digest = ?, source_digest = ? WHERE gen = ?`, digest, source, gen)
		return err
	})
}

// syncedDigest reads the digest of the feed list last synced and of the
// source it was parsed from (digest nil when the feeds changed since;
// source nil when not known), and the count of changes to the list, on
// the write connection like listedFeeds.
func (s *Store) syncedDigest(ctx context.Context) (digest, source []byte, gen int64, err error) {
	err = s.write.QueryRowContext(ctx, `SELECT digest, source_digest, gen FROM feed_list_synced`).Scan(&digest, &source, &gen)
	if err != nil {
		return nil, nil, 0, s.wrap("read synced feed list digest", err)
	}
	return digest, source, gen, nil
}

// listedFeeds reads every feed as a sync compares it with the feed list.
// It reads on the write connection (outside any transaction, so it takes
// no lock): a poll's claims and saves go on to read and write the same
// pages there, and a read connection would load all of them into a cache
// of its own first, and free them at Close.
func (s *Store) listedFeeds(ctx context.Context) ([]store.ListedFeed, error) {
	rows, err := s.write.QueryContext(ctx, `SELECT url, name, tags, interval_ns, state = 'disabled' FROM feeds`)
	if err != nil {
		return nil, s.wrap("read feed list", err)
	}
	defer rows.Close()
	var out []store.ListedFeed
	for rows.Next() {
		var (
			f        store.ListedFeed
			tags     string
			interval int64
		)
		if err := rows.Scan(&f.URL, &f.Name, &tags, &interval, &f.Disabled); err != nil {
			return nil, s.wrap("read feed list", err)
		}
		if tags != "[]" {
			if err := json.Unmarshal([]byte(tags), &f.Tags); err != nil {
				return nil, s.wrap("read feed list", fmt.Errorf("feed %s tags: %w", f.URL, err))
			}
		}
		f.Interval = time.Duration(interval)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("read feed list", err)
	}
	return out, nil
}

// AddFeed adds one feed, or re-enables a removed one.
func (s *Store) AddFeed(ctx context.Context, f store.FeedConfig) error {
	defer s.alone.Load().drop() // it is due from now
	return s.inTx(ctx, "add feed "+f.URL, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, upsertFeed+` WHERE state = 'disabled'`,
			f.URL, f.Name, tagsJSON(f.Tags), int64(f.Interval), time.Now().UnixMicro())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrFeedExists
		}
		return nil
	})
}

// RemoveFeed disables a feed; its articles and sources stay.
func (s *Store) RemoveFeed(ctx context.Context, url string) error {
	return s.SetFeedState(ctx, url, store.FeedDisabled)
}

// SetFeedState changes a feed's state and releases any lease on it.
func (s *Store) SetFeedState(ctx context.Context, url string, state store.FeedState) error {
	switch state {
	case store.FeedActive, store.FeedGone, store.FeedDisabled, store.FeedBlocked:
	default:
		return fmt.Errorf("sqlite: set state of %s: unknown state %q", url, state)
	}
	var id int64
	err := s.inTx(ctx, "set state of "+url, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE feeds SET state = ? WHERE url = ? RETURNING id`, state, url).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM feed_leases WHERE feed_id = ?`, id)
		return err
	})
	if err == nil {
		s.alone.Load().drop(id)
	}
	return err
}

// feedColumns are what scanFeed reads, from a query on feeds, given where
// the schema keeps item dates (itemDatesSQL.column).
func feedColumns(itemDates string) string {
	return feedColumnsToLease + `(SELECT until FROM feed_leases WHERE feed_id = feeds.id), ` + itemDates
}

// feedColumnsToLease come before the lease column, which a claim leaves
// NULL (it sets the lease itself); the item dates come after it.
const feedColumnsToLease = `id, url, name, tags, interval_ns, state, etag, last_modified,
body_hash, last_poll_at, next_poll_at, last_status, last_error, consecutive_errors,
identity_policy, redirect_to, `

// itemDatesSQL reads and writes a feed's item dates: in feed_item_dates
// from schema version 12, in the feed's row before it (tests open archives
// of older versions to migrate them).
type itemDatesSQL struct {
	column string // the dates of feeds.id, as a column of a query on feeds
	save   string // write ?2 as the dates of feed ?1
}

func itemDatesFor(schemaVersion int) itemDatesSQL {
	if schemaVersion < 12 {
		return itemDatesSQL{column: `item_dates`, save: `UPDATE feeds SET item_dates = ?2 WHERE id = ?1`}
	}
	return itemDatesSQL{
		column: `coalesce((SELECT dates FROM feed_item_dates WHERE feed_id = feeds.id), '[]')`,
		// Unless they are the dates stored: a document without new items
		// writes nothing.
		save: `INSERT INTO feed_item_dates (feed_id, dates) VALUES (?1, ?2)
ON CONFLICT (feed_id) DO UPDATE SET dates = excluded.dates WHERE dates <> excluded.dates`,
	}
}

func scanFeed(sc interface{ Scan(...any) error }, extra ...any) (store.Feed, error) {
	return newFeedScan(extra...).scan(sc)
}

// feedScan is what scanFeed reads a row into. A claim reads every row of
// its batch into one: the destinations, which escape to the heap through
// Scan's interfaces, are then allocated once a claim instead of once a
// feed (a 304 pass claims every feed).
type feedScan struct {
	f                            store.Feed
	tags, itemDates              string
	interval                     int64
	lastPoll, nextPoll, leasedTo sql.NullInt64
	dest                         []any
}

func newFeedScan(extra ...any) *feedScan {
	fs := &feedScan{}
	f := &fs.f
	fs.dest = append([]any{&f.ID, &f.URL, &f.Name, &fs.tags, &fs.interval, &f.State, &f.ETag, &f.LastModified,
		&f.BodyHash, &fs.lastPoll, &fs.nextPoll, &f.LastStatus, &f.LastError, &f.ConsecutiveErrors,
		&f.IdentityPolicy, &f.RedirectTo, &fs.leasedTo, &fs.itemDates}, extra...)
	return fs
}

// scan reads the current row; Scan sets every destination, and the rest
// of the feed is built from them here.
func (fs *feedScan) scan(sc interface{ Scan(...any) error }) (store.Feed, error) {
	fs.f = store.Feed{}
	if err := sc.Scan(fs.dest...); err != nil {
		return store.Feed{}, err
	}
	f := fs.f
	// Most feeds have no tags, and a 304 pass scans every feed: skip the
	// decoder for the empty list.
	if fs.tags != "[]" {
		if err := json.Unmarshal([]byte(fs.tags), &f.Tags); err != nil {
			return store.Feed{}, fmt.Errorf("feed %d tags: %w", f.ID, err)
		}
		if len(f.Tags) == 0 {
			f.Tags = nil
		}
	}
	dates, err := parseItemDates(fs.itemDates)
	if err != nil {
		return store.Feed{}, fmt.Errorf("feed %d item dates: %w", f.ID, err)
	}
	f.ItemDates = dates
	f.Interval = time.Duration(fs.interval)
	f.LastPollAt, f.NextPollAt, f.LeasedUntil = fromMicros(fs.lastPoll), fromMicros(fs.nextPoll), fromMicros(fs.leasedTo)
	return f, nil
}

// Feeds lists every feed in id order with the number of sources seen through it.
func (s *Store) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+feedColumns(s.itemDates.column)+`,
    (SELECT count(*) FROM sources WHERE sources.feed_id = feeds.id)
FROM feeds ORDER BY id`)
	if err != nil {
		return nil, s.wrap("list feeds", err)
	}
	defer rows.Close()
	var feeds []store.Feed
	for rows.Next() {
		var n int
		f, err := scanFeed(rows, &n)
		if err != nil {
			return nil, s.wrap("list feeds", err)
		}
		if m := s.alone.Load(); m != nil {
			f.LeasedUntil = m.leasedUntil(f.ID)
		}
		f.Articles = n
		feeds = append(feeds, f)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("list feeds", err)
	}
	return feeds, nil
}

// parseItemDates decodes item dates as itemDatesJSON stores them. A claim
// reads the dates of every feed it takes, and encoding/json took a quarter
// of a claim's CPU for feeds of fifty items: the plain "[1,2,3]" that
// itemDatesJSON writes is read here, anything else by encoding/json.
func parseItemDates(s string) ([]time.Time, error) {
	if s == "[]" {
		return nil, nil
	}
	if len(s) < 3 || s[0] != '[' || s[len(s)-1] != ']' {
		return parseItemDatesJSON(s)
	}
	body := s[1 : len(s)-1]
	dates := make([]time.Time, 0, strings.Count(body, ",")+1)
	for {
		num, rest, more := strings.Cut(body, ",")
		sec, err := strconv.ParseInt(num, 10, 64)
		if err != nil || (more && rest == "") {
			return parseItemDatesJSON(s)
		}
		dates = append(dates, time.Unix(sec, 0).UTC())
		if !more {
			return dates, nil
		}
		body = rest
	}
}

// parseItemDatesJSON is parseItemDates by encoding/json, for any JSON
// array of numbers.
func parseItemDatesJSON(s string) ([]time.Time, error) {
	var secs []int64
	if err := json.Unmarshal([]byte(s), &secs); err != nil {
		return nil, err
	}
	if len(secs) == 0 {
		return nil, nil
	}
	dates := make([]time.Time, len(secs))
	for i, sec := range secs {
		dates[i] = time.Unix(sec, 0).UTC()
	}
	return dates, nil
}

// itemDatesJSON encodes item dates as stored: a JSON array of Unix seconds.
func itemDatesJSON(dates []time.Time) string {
	secs := make([]int64, 0, len(dates))
	for _, d := range dates {
		secs = append(secs, d.Unix())
	}
	b, _ := json.Marshal(secs) // an []int64 always marshals
	return string(b)
}
