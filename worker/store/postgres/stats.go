package postgres

import (
	"context"
	"fmt"

	"github.com/wiresift/wiresift/worker/store"
)

// Stats counts feeds by state, articles, sources and duplicates by reason;
// DatabaseBytes is the on-disk size of this schema's tables and indexes.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{FeedsByState: map[store.FeedState]int{}, DuplicatesByReason: map[string]int64{}}
	rows, err := s.pool.Query(ctx, `SELECT state, count(*) FROM feeds GROUP BY state`)
	if err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	for rows.Next() {
		var state store.FeedState
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			rows.Close()
			return st, fmt.Errorf("postgres: stats: %w", err)
		}
		st.FeedsByState[state] = n
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	rows, err = s.pool.Query(ctx, `SELECT reason, count(*) FROM sources WHERE reason <> 'first' GROUP BY reason`)
	if err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	for rows.Next() {
		var reason string
		var n int64
		if err := rows.Scan(&reason, &n); err != nil {
			rows.Close()
			return st, fmt.Errorf("postgres: stats: %w", err)
		}
		st.DuplicatesByReason[reason] = n
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	err = s.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sources),
			(SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint
			 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname = current_schema() AND c.relkind = 'r')`).
		Scan(&st.Articles, &st.Sources, &st.DatabaseBytes)
	if err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	if st.Webhook, err = s.OutboxStats(ctx); err != nil {
		return st, err
	}
	return st, nil
}
