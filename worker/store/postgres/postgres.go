// Package postgres is the scale-out store: several wiresift workers, on one
// machine or many, share one PostgreSQL database. PostgreSQL is the whole
// cluster protocol: feeds are handed out with leases claimed by
// SELECT … FOR UPDATE SKIP LOCKED, ingests that could fold into each other are
// serialised by transaction-scoped advisory locks, and unique constraints
// have the last word on duplicates whatever the race.
package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wiresift/wiresift/worker/store"
)

// Store is a store.Store on a PostgreSQL connection pool. It is safe for
// concurrent use by many goroutines and by many processes.
type Store struct {
	pool *pgxpool.Pool
	// events: ingests write webhook events to the outbox (RecordEvents).
	events atomic.Bool
}

var _ store.Store = (*Store)(nil)

// Open connects to dsn (a postgres:// URL or key=value string; pool size with
// pool_max_conns, schema with search_path), then applies or migrates schema,
// the text of schema_postgres.sql. A database written by a newer wiresift
// fails with store.ErrNewerSchema.
func Open(ctx context.Context, dsn string, schema string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DSN: %w", err)
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		// Times come back in UTC, as SQLite gives them, so that exports
		// from the two stores are byte-identical.
		c.TypeMap().RegisterType(&pgtype.Type{
			Name:  "timestamptz",
			OID:   pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC},
		})
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := migrate(ctx, pool, schema); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool}, nil
}

// Pool is the underlying connection pool, for tools that work at the SQL
// level such as migrate-store.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close releases every connection.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
