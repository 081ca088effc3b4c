package postgres

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wiresift/wiresift/worker/store"
)

// schemaSection is one "-- version: N" part of schema_postgres.sql.
type schemaSection struct {
	version int
	sql     string
}

var versionMarker = regexp.MustCompile(`(?m)^--\s*version:\s*(\d+)\s*$`)

// parseSchema splits the schema file into its versioned sections, which must
// start at 1 and count up. A change made to both stores carries SQLite's
// version number in both files, so PostgreSQL's numbers may skip the
// SQLite-only ones; a database's version is the newest section it has, and
// every section above it is what it lacks.
func parseSchema(schema string) ([]schemaSection, error) {
	marks := versionMarker.FindAllStringSubmatchIndex(schema, -1)
	if len(marks) == 0 {
		return nil, fmt.Errorf("postgres: schema has no \"-- version: N\" section")
	}
	sections := make([]schemaSection, 0, len(marks))
	for i, m := range marks {
		v, err := strconv.Atoi(schema[m[2]:m[3]])
		if err != nil {
			return nil, fmt.Errorf("postgres: schema version %q: %w", schema[m[2]:m[3]], err)
		}
		switch {
		case i == 0 && v != 1:
			return nil, fmt.Errorf("postgres: schema section 1 is version %d, want 1", v)
		case i > 0 && v <= sections[i-1].version:
			return nil, fmt.Errorf("postgres: schema section %d is version %d, want more than %d", i+1, v, sections[i-1].version)
		}
		end := len(schema)
		if i+1 < len(marks) {
			end = marks[i+1][0]
		}
		sections = append(sections, schemaSection{version: v, sql: schema[m[1]:end]})
	}
	return sections, nil
}

// migrate brings the database's current schema up to the newest section, in
// one transaction. The advisory lock makes workers that start at the same
// moment apply it one after the other: the second finds the work done. The
// lock key is derived from the schema name so that separate schemas in one
// database (tests, tenants) do not wait for each other.
func migrate(ctx context.Context, conn *pgxpool.Pool, schema string) error {
	sections, err := parseSchema(schema)
	if err != nil {
		return err
	}
	newest := sections[len(sections)-1].version
	// The usual open finds the schema current and writes nothing, which is
	// also what lets a read-only replica be opened for search and export.
	current, err := readVersion(ctx, conn)
	if err != nil {
		return fmt.Errorf("postgres: schema: %w", err)
	}
	if current > newest {
		return fmt.Errorf("postgres: schema: database has version %d, this build knows up to %d: %w",
			current, newest, store.ErrNewerSchema)
	}
	if current == newest {
		return nil
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`SELECT pg_advisory_xact_lock(hashtextextended('wiresift schema ' || current_schema(), 0))`); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if _, err := tx.Exec(ctx,
			`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("create schema_version: %w", err)
		}
		// Another worker may have migrated while this one waited for the lock.
		if err := tx.QueryRow(ctx,
			`SELECT COALESCE(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
			return fmt.Errorf("read version: %w", err)
		}
		if current > newest {
			return fmt.Errorf("database has version %d, this build knows up to %d: %w",
				current, newest, store.ErrNewerSchema)
		}
		for _, s := range sections {
			if s.version <= current {
				continue
			}
			// No arguments: pgx sends it as a simple query, which may hold
			// several statements.
			if _, err := tx.Exec(ctx, s.sql); err != nil {
				return fmt.Errorf("apply version %d: %w", s.version, err)
			}
		}
		if current == newest {
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM schema_version`); err != nil {
			return fmt.Errorf("record version: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, newest); err != nil {
			return fmt.Errorf("record version: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: schema: %w", err)
	}
	return nil
}

// readVersion is the database's schema version, 0 when it has none yet.
func readVersion(ctx context.Context, conn *pgxpool.Pool) (int, error) {
	var exists bool
	if err := conn.QueryRow(ctx,
		`SELECT to_regclass('schema_version') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("read version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	if err := conn.QueryRow(ctx,
		`SELECT COALESCE(max(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read version: %w", err)
	}
	return v, nil
}
