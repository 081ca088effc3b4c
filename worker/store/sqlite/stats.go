package sqlite

import (
	"context"
	"database/sql"
	"os"

	"github.com/wiresift/wiresift/worker/store"
)

// Stats counts feeds, articles and sightings, and measures the files.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{FeedsByState: map[store.FeedState]int{}, DuplicatesByReason: map[string]int64{}}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return st, s.wrap("stats", err)
	}
	defer tx.Rollback()
	if err := countBy(ctx, tx, `SELECT state, count(*) FROM feeds GROUP BY state`, func(k string, n int64) {
		st.FeedsByState[store.FeedState(k)] = int(n)
	}); err != nil {
		return st, s.wrap("stats: feeds", err)
	}
	// Sightings other than the first are the duplicates dropped.
	if err := countBy(ctx, tx, `SELECT reason, count(*) FROM sources WHERE reason <> 'first' GROUP BY reason`, func(k string, n int64) {
		st.DuplicatesByReason[k] = n
	}); err != nil {
		return st, s.wrap("stats: sources", err)
	}
	var oldest sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sources)`).
		Scan(&st.Articles, &st.Sources)
	if err != nil {
		return st, s.wrap("stats: totals", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM outbox`).Scan(&st.Webhook.Pending, &oldest)
	if err != nil {
		return st, s.wrap("stats: outbox", err)
	}
	st.Webhook.Oldest = fromMicros(oldest)
	// The WAL holds committed pages not yet checkpointed into the file.
	for _, p := range []string{s.path, s.path + "-wal"} {
		if info, err := os.Stat(p); err == nil {
			st.DatabaseBytes += info.Size()
		}
	}
	return st, nil
}

func countBy(ctx context.Context, tx *sql.Tx, query string, put func(string, int64)) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		put(k, n)
	}
	return rows.Err()
}
