package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// HasArchive reports whether the database (in the DSN's search_path) holds
// wiresift's tables, without creating anything: commands that only read
// refuse an empty database instead of migrating it into an empty archive.
func HasArchive(ctx context.Context, dsn string) (bool, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return false, fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Close(ctx)
	var has bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('feeds') IS NOT NULL`).Scan(&has); err != nil {
		return false, fmt.Errorf("postgres: look for the archive: %w", err)
	}
	return has, nil
}
