package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/store"
)

// RecordEvents switches the webhook outbox on or off for later ingests.
func (s *Store) RecordEvents(on bool) { s.events.Store(on) }

// insertEvents writes an ingest's events in its transaction.
func insertEvents(ctx context.Context, tx pgx.Tx, evs []store.Event) error {
	for _, ev := range evs {
		var src []byte
		if ev.Source != nil {
			var err error
			if src, err = json.Marshal(ev.Source); err != nil {
				return fmt.Errorf("encode %s source: %w", ev.Kind, err)
			}
		}
		if _, err := tx.Exec(ctx, `
INSERT INTO outbox (delivery, event, article_id, source, created_at, next_try_at) VALUES ($1, $2, $3, $4, $5, $5)`,
			ev.Delivery, string(ev.Kind), ev.ArticleID, src, ev.CreatedAt); err != nil {
			return fmt.Errorf("record %s event of article %d: %w", ev.Kind, ev.ArticleID, err)
		}
	}
	return nil
}

// ClaimEvents leases the due events, at most one per article (an event
// whose article has an earlier row waits for it). FOR UPDATE SKIP LOCKED
// and the lease keep two workers from sending one event at once: a row
// another claim is leasing is skipped, and a leased one is not due.
func (s *Store) ClaimEvents(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]store.Event, error) {
	rows, err := s.pool.Query(ctx, `
UPDATE outbox SET leased_until = $2
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.next_try_at <= $1 AND o.leased_until <= $1
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.article_id = o.article_id AND p.id < o.id)
    ORDER BY o.next_try_at, o.id LIMIT $3
    FOR UPDATE SKIP LOCKED)
  AND leased_until <= $1
RETURNING id, delivery, event, article_id, source, created_at, attempts`,
		now, now.Add(lease), limit)
	if err != nil {
		return nil, writeErr("claim events", err)
	}
	defer rows.Close()
	var evs []store.Event
	for rows.Next() {
		var ev store.Event
		var src []byte
		if err := rows.Scan(&ev.ID, &ev.Delivery, &ev.Kind, &ev.ArticleID, &src, &ev.CreatedAt, &ev.Attempts); err != nil {
			return nil, fmt.Errorf("postgres: claim events: %w", err)
		}
		if src != nil {
			ev.Source = new(store.Source)
			if err := json.Unmarshal(src, ev.Source); err != nil {
				return nil, fmt.Errorf("postgres: event %d: bad source: %w", ev.ID, err)
			}
		}
		evs = append(evs, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, writeErr("claim events", err)
	}
	// RETURNING gives no order; deliveries go oldest first.
	sort.Slice(evs, func(i, j int) bool { return evs[i].ID < evs[j].ID })
	return evs, nil
}

// EventDelivered removes an acknowledged event.
func (s *Store) EventDelivered(ctx context.Context, id int64) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM outbox WHERE id = $1`, id); err != nil {
		return writeErr(fmt.Sprintf("event %d delivered", id), err)
	}
	return nil
}

// RetryEvent releases a failed event until next.
func (s *Store) RetryEvent(ctx context.Context, id int64, next time.Time, reason string) error {
	if _, err := s.pool.Exec(ctx, `
UPDATE outbox SET attempts = attempts + 1, next_try_at = $2, leased_until = '-infinity', last_error = $3 WHERE id = $1`,
		id, next, reason); err != nil {
		return writeErr(fmt.Sprintf("retry event %d", id), err)
	}
	return nil
}

// OutboxStats counts the undelivered events.
func (s *Store) OutboxStats(ctx context.Context) (store.OutboxStats, error) {
	var st store.OutboxStats
	var oldest *time.Time
	if err := s.pool.QueryRow(ctx, `SELECT count(*), min(created_at) FROM outbox`).Scan(&st.Pending, &oldest); err != nil {
		return st, fmt.Errorf("postgres: outbox stats: %w", err)
	}
	st.Oldest = timeOrZero(oldest)
	return st, nil
}
