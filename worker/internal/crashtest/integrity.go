package crashtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // the same driver wiresift uses
)

// IntegrityCheck runs PRAGMA integrity_check on the SQLite file at path,
// opened read-only so that checking cannot repair or change anything, and
// returns its verdict ("ok" for a sound file).
func IntegrityCheck(ctx context.Context, path string) (string, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return "", fmt.Errorf("crashtest: open %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return "", fmt.Errorf("crashtest: integrity_check %s: %w", path, err)
	}
	defer rows.Close()
	var verdict string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", fmt.Errorf("crashtest: integrity_check %s: %w", path, err)
		}
		if verdict != "" {
			verdict += "\n"
		}
		verdict += line
	}
	return verdict, rows.Err()
}

// Sources counts the rows of the sources table, read-only: how far a run
// had got when it was killed.
func Sources(ctx context.Context, path string) (int, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return 0, fmt.Errorf("crashtest: open %s: %w", path, err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sources").Scan(&n); err != nil {
		return 0, fmt.Errorf("crashtest: count sources in %s: %w", path, err)
	}
	return n, nil
}
