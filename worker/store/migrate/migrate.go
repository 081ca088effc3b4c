// Package migrate copies a SQLite archive into PostgreSQL, for a user who
// outgrows one machine (wiresift migrate-store -from FILE.db -to postgres://…).
//
// It works at the SQL level, table by table, reading the SQLite file through
// database/sql with query_only set, so it never writes the source and does
// not depend on the sqlite store's internals. Ids are kept, so an export of
// either database gives the same output. The copy is streamed in batches of
// rows, each committed in its own PostgreSQL transaction with everything it
// needs (an article batch carries its dedup keys), so it can be interrupted
// at any point and rerun: a rerun skips the ids already copied.
//
// Stop the workers writing the SQLite file before migrating: a row changed
// after it was copied is not copied again. The target must be a fresh
// PostgreSQL database (or schema), or one this copy already started on.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/postgres"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrForeignTarget: the PostgreSQL database already has feeds that did not
// come from this archive (a worker ran on it, or another archive was copied
// in). Ids are kept by the copy, so it needs an empty target, or one this
// archive's copy started on.
var ErrForeignTarget = errors.New("migrate: the target database holds feeds that did not come from this archive; migrate into an empty database")

// DefaultBatch is how many rows one PostgreSQL transaction copies.
const DefaultBatch = 500

// newestSQLiteSchema is the last schema.sql version whose layout this
// package knows; a newer source may have columns it would drop. (Version 8
// only dropped a trigger: the tables read are version 7's. Version 9's
// feed_list_synced, and version 10's column of it, are not copied: the
// copy's inserts clear the target's digest, so the target's first sync
// parses the feeds file and compares the list in full. Version 11 only
// added indexes; version 12 moved item dates to feed_item_dates.)
const newestSQLiteSchema = 12

// Options tune Copy; the zero value gives the defaults.
type Options struct {
	Batch int // rows per PostgreSQL transaction; 0: DefaultBatch
	// Progress, when set, is called after each committed batch with the
	// table and the number of its rows copied so far in this run.
	Progress func(table string, copied int64)
}

// Report counts the rows this run copied (rows copied by an earlier,
// interrupted run are skipped and not counted).
type Report struct {
	Feeds, Articles, Sources, Keys int64
	Events                         int64 // undelivered webhook events
}

// Copy copies the SQLite archive at fromPath into the PostgreSQL store to,
// whose schema Open has already applied.
func Copy(ctx context.Context, fromPath string, to *postgres.Store, o Options) (Report, error) {
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	src, version, err := openSource(ctx, fromPath)
	if err != nil {
		return Report{}, err
	}
	defer src.Close()
	// One read transaction: every table is read from the same snapshot, so
	// no source row can point at an article the copy has not seen.
	tx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Report{}, fmt.Errorf("migrate: read %s: %w", fromPath, err)
	}
	defer tx.Rollback()

	c := &copier{src: tx, dst: to.Pool(), opt: o}
	if err := c.checkTarget(ctx); err != nil {
		return Report{}, err
	}
	var rep Report
	steps := []struct {
		t      table
		resume bool // skip the ids already copied; feeds are upserted whole
		n      *int64
	}{
		{feedsTable(version), false, &rep.Feeds},
		{c.articlesTable(), true, &rep.Articles},
		{sourcesTable(version), true, &rep.Sources},
	}
	if version >= outboxVersion {
		steps = append(steps, struct {
			t      table
			resume bool
			n      *int64
		}{outboxTable, true, &rep.Events})
	}
	for _, s := range steps {
		var after int64
		if s.resume {
			if after, err = c.maxID(ctx, s.t.name); err != nil {
				return rep, fmt.Errorf("migrate: %w", err)
			}
		}
		n, err := c.copyTable(ctx, s.t, after)
		*s.n, rep.Keys = n, c.keys
		if err != nil {
			return rep, fmt.Errorf("migrate: copy %w", err)
		}
	}
	if err := c.resetIdentities(ctx); err != nil {
		return rep, fmt.Errorf("migrate: %w", err)
	}
	return rep, nil
}

// openSource opens the SQLite file without writing it, and checks that its
// schema is one this package can read.
func openSource(ctx context.Context, path string) (*sql.DB, int, error) {
	q := url.Values{}
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	// mode=rw: never create a missing file.
	q.Set("mode", "rw")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, 0, fmt.Errorf("migrate: open %s: %w", path, err)
	}
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		db.Close()
		return nil, 0, fmt.Errorf("migrate: open %s: %w", path, err)
	}
	switch {
	case version == 0:
		db.Close()
		return nil, 0, fmt.Errorf("migrate: %s is not a wiresift archive (schema version 0)", path)
	case version > newestSQLiteSchema:
		db.Close()
		return nil, 0, fmt.Errorf("migrate: %s has schema version %d, this build reads up to %d: %w",
			path, version, newestSQLiteSchema, store.ErrNewerSchema)
	}
	return db, version, nil
}

// copier holds both ends of one copy.
type copier struct {
	src  *sql.Tx
	dst  *pgxpool.Pool
	opt  Options
	keys int64 // dedup key rows written so far
}

// resetIdentities moves each id sequence past the copied ids, so the next
// row PostgreSQL inserts does not collide with a copied one.
func (c *copier) resetIdentities(ctx context.Context) error {
	return pgx.BeginFunc(ctx, c.dst, func(tx pgx.Tx) error {
		for _, table := range []string{"feeds", "articles", "sources", "outbox"} {
			if _, err := tx.Exec(ctx, fmt.Sprintf(
				`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), COALESCE(max(id), 0) + 1, false) FROM %[1]s`,
				table)); err != nil {
				return fmt.Errorf("reset %s ids: %w", table, err)
			}
		}
		return nil
	})
}
