package migrate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// feeds copies every feed, updating those a previous run copied: the list is
// small, and a feed's state may have moved on since. Leases are not copied:
// they belong to the SQLite workers, which are stopped.
func (c *copier) feeds(ctx context.Context) (int64, error) {
	rows, err := c.src.QueryContext(ctx, `SELECT id, url, name, tags, interval_ns, state, etag,
		last_modified, body_hash, last_poll_at, next_poll_at, last_status, last_error,
		consecutive_errors, identity_policy, redirect_to FROM feeds ORDER BY id`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var batch [][]any
	var n int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := pgx.BeginFunc(ctx, c.dst, func(tx pgx.Tx) error {
			for _, r := range batch {
				if _, err := tx.Exec(ctx, upsertFeed, r...); err != nil {
					return fmt.Errorf("feed %v (%v): %w", r[0], r[1], err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		n += int64(len(batch))
		c.progress("feeds", n)
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		var (
			id, intervalNS, nextPoll                    int64
			lastStatus, consecutive                     int64
			url, name, tags, state, etag, lastMod, body string
			lastErr, policy, redirect                   string
			lastPoll                                    sql.NullInt64
		)
		if err := rows.Scan(&id, &url, &name, &tags, &intervalNS, &state, &etag, &lastMod, &body,
			&lastPoll, &nextPoll, &lastStatus, &lastErr, &consecutive, &policy, &redirect); err != nil {
			return n, err
		}
		tagList, err := parseTags(tags)
		if err != nil {
			return n, fmt.Errorf("feed %d tags: %w", id, err)
		}
		batch = append(batch, []any{id, url, name, tagList, intervalNS, state, etag, lastMod, body,
			optMicros(lastPoll), time.UnixMicro(nextPoll).UTC(), lastStatus, lastErr, consecutive, policy, redirect})
		if len(batch) == c.opt.Batch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

const upsertFeed = `
	INSERT INTO feeds (id, url, name, tags, interval_ns, state, etag, last_modified, body_hash,
		last_poll_at, next_poll_at, last_status, last_error, consecutive_errors, identity_policy, redirect_to)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
	ON CONFLICT (id) DO UPDATE SET
		url = excluded.url, name = excluded.name, tags = excluded.tags,
		interval_ns = excluded.interval_ns, state = excluded.state, etag = excluded.etag,
		last_modified = excluded.last_modified, body_hash = excluded.body_hash,
		last_poll_at = excluded.last_poll_at, next_poll_at = excluded.next_poll_at,
		last_status = excluded.last_status, last_error = excluded.last_error,
		consecutive_errors = excluded.consecutive_errors,
		identity_policy = excluded.identity_policy, redirect_to = excluded.redirect_to`

var articleColumns = []string{"id", "url", "canonical_url", "title", "author", "site_name", "language",
	"published", "text", "content_hash", "text_source", "fetch_error", "first_seen", "words", "sketch", "raw_html"}

// articles copies the articles past the highest id already in PostgreSQL,
// each batch with its near-duplicate keys in the same transaction.
func (c *copier) articles(ctx context.Context) (int64, error) {
	after, err := c.maxID(ctx, "articles")
	if err != nil {
		return 0, err
	}
	rows, err := c.src.QueryContext(ctx, `SELECT id, url, canonical_url, title, author, site_name,
		language, published, text, content_hash, text_source, fetch_error, first_seen, words, sketch, raw_html
		FROM articles WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var batch [][]any
	var n int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		first, last := batch[0][0].(int64), batch[len(batch)-1][0].(int64)
		keys, err := c.keyRows(ctx, first, last)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, c.dst, func(tx pgx.Tx) error {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"articles"}, articleColumns, pgx.CopyFromRows(batch)); err != nil {
				return fmt.Errorf("articles %d-%d: %w", first, last, err)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"dedup_keys"}, []string{"key", "article_id"}, pgx.CopyFromRows(keys)); err != nil {
				return fmt.Errorf("keys of articles %d-%d: %w", first, last, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		n += int64(len(batch))
		c.keys += int64(len(keys))
		c.progress("articles", n)
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		var (
			id, words                                       int64
			url, title, author, site, lang, text, src, ferr string
			canonical, hash                                 sql.NullString
			published                                       sql.NullInt64
			firstSeen                                       int64
			sketch, raw                                     []byte
		)
		if err := rows.Scan(&id, &url, &canonical, &title, &author, &site, &lang, &published, &text,
			&hash, &src, &ferr, &firstSeen, &words, &sketch, &raw); err != nil {
			return n, err
		}
		batch = append(batch, []any{id, url, optString(canonical), title, author, site, lang,
			optMicros(published), text, optString(hash), src, ferr, time.UnixMicro(firstSeen).UTC(),
			words, sketch, raw})
		if len(batch) == c.opt.Batch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// keyRows reads the dedup keys of the articles with ids in [first, last].
func (c *copier) keyRows(ctx context.Context, first, last int64) ([][]any, error) {
	rows, err := c.src.QueryContext(ctx,
		`SELECT key, article_id FROM dedup_keys WHERE article_id BETWEEN ? AND ?`, first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys [][]any
	for rows.Next() {
		var key, article int64
		if err := rows.Scan(&key, &article); err != nil {
			return nil, err
		}
		keys = append(keys, []any{key, article})
	}
	return keys, rows.Err()
}

var sourceColumns = []string{"id", "article_id", "feed_id", "item_key", "url", "title", "seen_at", "reason", "similarity"}

// sources copies the sources past the highest id already in PostgreSQL.
func (c *copier) sources(ctx context.Context) (int64, error) {
	after, err := c.maxID(ctx, "sources")
	if err != nil {
		return 0, err
	}
	rows, err := c.src.QueryContext(ctx, `SELECT id, article_id, feed_id, item_key, url, title,
		seen_at, reason, similarity FROM sources WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var batch [][]any
	var n int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := pgx.BeginFunc(ctx, c.dst, func(tx pgx.Tx) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{"sources"}, sourceColumns, pgx.CopyFromRows(batch))
			return err
		})
		if err != nil {
			return fmt.Errorf("sources %v-%v: %w", batch[0][0], batch[len(batch)-1][0], err)
		}
		n += int64(len(batch))
		c.progress("sources", n)
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		var (
			id, article, feed, seen int64
			key, url, title, reason string
			similarity              float64
		)
		if err := rows.Scan(&id, &article, &feed, &key, &url, &title, &seen, &reason, &similarity); err != nil {
			return n, err
		}
		batch = append(batch, []any{id, article, feed, key, url, title, time.UnixMicro(seen).UTC(), reason, similarity})
		if len(batch) == c.opt.Batch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, flush()
}

// maxID is the highest id of table already in PostgreSQL: where a rerun resumes.
func (c *copier) maxID(ctx context.Context, table string) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, c.dst, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT COALESCE(max(id), 0) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("resume point: %w", err)
	}
	return id, nil
}

func (c *copier) progress(table string, n int64) {
	if c.opt.Progress != nil {
		c.opt.Progress(table, n)
	}
}

func parseTags(s string) ([]string, error) {
	tags := []string{}
	if s == "" {
		return tags, nil
	}
	if err := json.Unmarshal([]byte(s), &tags); err != nil {
		return nil, err
	}
	if tags == nil {
		tags = []string{}
	}
	return tags, nil
}

func optMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMicro(v.Int64).UTC()
	return &t
}

func optString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}
