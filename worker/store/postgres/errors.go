package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wiresift/wiresift/worker/store"
)

// writeErr wraps a failed write with the package and operation, and makes
// PostgreSQL's "read-only transaction" (a hot standby, or a role with
// default_transaction_read_only) store.ErrReadOnlyMode, so the CLI can say
// that the database takes no writes rather than print a SQL error.
func writeErr(op string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "25006" { // read_only_sql_transaction
		return fmt.Errorf("postgres: %s: %w (%w)", op, store.ErrReadOnlyMode, err)
	}
	if errors.As(err, &pgErr) && pgErr.Code == "53100" { // disk_full: the run cannot go on
		return fmt.Errorf("postgres: %s: %w (%w)", op, store.ErrStorageFull, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}
