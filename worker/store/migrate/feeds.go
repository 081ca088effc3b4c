package migrate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// feedsTable copies every feed, updating those a previous run copied: the
// list is small, and a feed's state may have moved on since. Leases are not
// copied: they belong to the SQLite workers, which are stopped. Archives
// before schema version 3 have no item dates; from version 12 they are in a
// table of their own.
func feedsTable(version int) table {
	itemDates := "'[]'"
	switch {
	case version >= 12:
		itemDates = "coalesce((SELECT dates FROM feed_item_dates WHERE feed_id = feeds.id), '[]')"
	case version >= 3:
		itemDates = "item_dates"
	}
	return table{
		name: "feeds",
		read: func(ctx context.Context, src *sql.Tx, _ int64) (*sql.Rows, error) {
			return src.QueryContext(ctx, `SELECT id, url, name, tags, interval_ns, state, etag,
				last_modified, body_hash, last_poll_at, next_poll_at, last_status, last_error,
				consecutive_errors, identity_policy, redirect_to, `+itemDates+` FROM feeds ORDER BY id`)
		},
		scan: scanFeed,
		write: func(ctx context.Context, tx pgx.Tx, batch [][]any) error {
			var b pgx.Batch
			for _, row := range batch {
				b.Queue(upsertFeed, row...)
			}
			return tx.SendBatch(ctx, &b).Close()
		},
	}
}

func scanFeed(rows *sql.Rows) ([]any, error) {
	var (
		id, intervalNS, nextPoll, lastStatus, consecutive int64
		url, name, tags, state, etag, lastMod, body       string
		lastErr, policy, redirect, dates                  string
		lastPoll                                          sql.NullInt64
	)
	if err := rows.Scan(&id, &url, &name, &tags, &intervalNS, &state, &etag, &lastMod, &body,
		&lastPoll, &nextPoll, &lastStatus, &lastErr, &consecutive, &policy, &redirect, &dates); err != nil {
		return nil, err
	}
	tagList := []string{}
	if err := parseJSONList(tags, &tagList); err != nil {
		return nil, fmt.Errorf("feed %d tags: %w", id, err)
	}
	secs := []int64{}
	if err := parseJSONList(dates, &secs); err != nil {
		return nil, fmt.Errorf("feed %d item dates: %w", id, err)
	}
	return []any{id, url, name, tagList, intervalNS, state, etag, lastMod, body,
		optMicros(lastPoll), time.UnixMicro(nextPoll).UTC(), lastStatus, lastErr, consecutive,
		policy, redirect, secs}, nil
}

const upsertFeed = `
	INSERT INTO feeds (id, url, name, tags, interval_ns, state, etag, last_modified, body_hash,
		last_poll_at, next_poll_at, last_status, last_error, consecutive_errors, identity_policy, redirect_to,
		item_dates)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
	ON CONFLICT (id) DO UPDATE SET
		url = excluded.url, name = excluded.name, tags = excluded.tags,
		interval_ns = excluded.interval_ns, state = excluded.state, etag = excluded.etag,
		last_modified = excluded.last_modified, body_hash = excluded.body_hash,
		last_poll_at = excluded.last_poll_at, next_poll_at = excluded.next_poll_at,
		last_status = excluded.last_status, last_error = excluded.last_error,
		consecutive_errors = excluded.consecutive_errors,
		identity_policy = excluded.identity_policy, redirect_to = excluded.redirect_to,
		item_dates = excluded.item_dates`

// parseJSONList reads one of SQLite's JSON list columns (tags, item
// dates) into list, which keeps its empty value for an empty column or null.
func parseJSONList[T any](s string, list *[]T) error {
	if s == "" {
		return nil
	}
	var parsed []T
	if err := json.Unmarshal([]byte(s), &parsed); err != nil {
		return err
	}
	if parsed != nil {
		*list = parsed
	}
	return nil
}
