package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// RecordEvents switches the webhook outbox on or off for later ingests.
func (s *Store) RecordEvents(on bool) { s.events.Store(on) }

// insertEvents writes an ingest's events in its transaction.
func insertEvents(ctx context.Context, tx *sql.Tx, evs []store.Event) error {
	for _, ev := range evs {
		var src any
		if ev.Source != nil {
			b, err := json.Marshal(ev.Source)
			if err != nil {
				return fmt.Errorf("encode %s source: %w", ev.Kind, err)
			}
			src = string(b)
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO outbox (delivery, event, article_id, source, created_at, next_try_at) VALUES (?, ?, ?, ?, ?, ?)`,
			ev.Delivery, string(ev.Kind), ev.ArticleID, src, ev.CreatedAt.UnixMicro(), ev.CreatedAt.UnixMicro()); err != nil {
			return fmt.Errorf("record %s event of article %d: %w", ev.Kind, ev.ArticleID, err)
		}
	}
	return nil
}

// ClaimEvents leases the due events, at most one per article: an event
// whose article has an earlier row waits for it (rows go once delivered).
func (s *Store) ClaimEvents(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.Event, error) {
	var evs []store.Event
	err := s.inTx(ctx, "claim events", func(ctx context.Context, tx *sql.Tx) error {
		evs = evs[:0]
		rows, err := tx.QueryContext(ctx, `
UPDATE outbox SET leased_until = ?
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.next_try_at <= ? AND o.leased_until <= ?
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.article_id = o.article_id AND p.id < o.id)
    ORDER BY o.next_try_at, o.id LIMIT ?)
RETURNING id, delivery, event, article_id, source, created_at, attempts`,
			now.Add(lease).UnixMicro(), now.UnixMicro(), now.UnixMicro(), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ev store.Event
			var src sql.NullString
			var created sql.NullInt64
			if err := rows.Scan(&ev.ID, &ev.Delivery, &ev.Kind, &ev.ArticleID, &src, &created, &ev.Attempts); err != nil {
				return err
			}
			ev.CreatedAt = fromMicros(created)
			if src.Valid {
				ev.Source = new(store.Source)
				if err := json.Unmarshal([]byte(src.String), ev.Source); err != nil {
					return fmt.Errorf("event %d: bad source: %w", ev.ID, err)
				}
			}
			evs = append(evs, ev)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order; deliveries go oldest first.
	sort.Slice(evs, func(i, j int) bool { return evs[i].ID < evs[j].ID })
	return evs, nil
}

// EventDelivered removes an acknowledged event.
func (s *Store) EventDelivered(ctx context.Context, id int64) error {
	return s.inTx(ctx, fmt.Sprintf("event %d delivered", id), func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id)
		return err
	})
}

// RetryEvent releases a failed event until next.
func (s *Store) RetryEvent(ctx context.Context, id int64, next time.Time, reason string) error {
	return s.inTx(ctx, fmt.Sprintf("retry event %d", id), func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
UPDATE outbox SET attempts = attempts + 1, next_try_at = ?, leased_until = 0, last_error = ? WHERE id = ?`,
			next.UnixMicro(), reason, id)
		return err
	})
}

// OutboxStats counts the undelivered events.
func (s *Store) OutboxStats(ctx context.Context) (store.OutboxStats, error) {
	var st store.OutboxStats
	var oldest sql.NullInt64
	if err := s.read.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM outbox`).Scan(&st.Pending, &oldest); err != nil {
		return st, s.wrap("outbox stats", err)
	}
	st.Oldest = fromMicros(oldest)
	return st, nil
}
