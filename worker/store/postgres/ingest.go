package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wiresift/wiresift/worker/store"
)

// Ingest stores one sighting in one transaction, deduplicated by store.Decide.
//
// Concurrency: before deciding, the transaction takes the advisory locks of
// everything its decision can depend on (see ingestLocks), so two ingests
// that could fold into each other run one after the other, and the second
// sees the first's article. Ingests of unrelated stories share no lock and
// run in parallel. Unique constraints stay the last word: if one still fires
// (a writer that took no lock, say), the whole ingest is retried once, and
// the retry finds the winner's row.
func (s *Store) Ingest(ctx context.Context, sg store.Sighting) (store.Outcome, error) {
	out, err := s.ingestOnce(ctx, sg)
	if retryable(err) {
		out, err = s.ingestOnce(ctx, sg)
	}
	if err != nil {
		return store.Outcome{}, writeErr("ingest "+sg.ItemURL, err)
	}
	return out, nil
}

func (s *Store) ingestOnce(ctx context.Context, sg store.Sighting) (store.Outcome, error) {
	var out store.Outcome
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockAll(ctx, tx, ingestLocks(sg)); err != nil {
			return err
		}
		var err error
		out, err = store.Decide(ctx, ingestTx{tx: tx}, sg)
		if err != nil || !s.events.Load() {
			return err
		}
		return insertEvents(ctx, tx, store.EventsFor(out, sg))
	})
	return out, err
}

// retryable errors are races that a second attempt resolves: a unique
// constraint that another transaction won, or a deadlock victim.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "23505", "40P01", "40001": // unique_violation, deadlock_detected, serialization_failure
		return true
	}
	return false
}

// lockAll takes the transaction-scoped advisory locks in ascending order, so
// two transactions wanting overlapping sets cannot deadlock; they are
// released at commit or rollback.
func lockAll(ctx context.Context, tx pgx.Tx, keys []int64) error {
	if len(keys) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx,
		`SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS u(k, n) ORDER BY n`,
		keys); err != nil {
		return fmt.Errorf("take ingest locks: %w", err)
	}
	return nil
}
