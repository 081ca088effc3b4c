package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/internal/pgtest"
)

// The whole CLI works on PostgreSQL too, and migrate-store carries an archive
// over with an identical export.
func TestPostgresBackfillAndMigrateStore(t *testing.T) {
	dsn := pgtest.DSN(t)
	_, feeds := seedSites(t)

	lite := newWorkspace(t, feeds...)
	lite.mustRun(t, "backfill")
	want := lite.mustRun(t, "export")

	code, out, errOut := cliRun(t, "migrate-store", "-from", lite.db, "-to", dsn)
	if code != 0 {
		t.Fatalf("migrate-store exited %d\n%s\n%s", code, out, errOut)
	}
	pg := workspace{dir: lite.dir, db: dsn, feeds: lite.feeds}
	if got := pg.mustRun(t, "export"); got != want {
		t.Errorf("PostgreSQL export after migrate-store differs\n got: %.400s\nwant: %.400s", got, want)
	}
	// A rerun copies nothing twice.
	if code, _, errOut := cliRun(t, "migrate-store", "-from", lite.db, "-to", dsn); code != 0 {
		t.Fatalf("second migrate-store exited %d: %s", code, errOut)
	}
	if got := pg.mustRun(t, "export"); got != want {
		t.Errorf("export changed after a second migrate-store")
	}

	// A fresh PostgreSQL archive built by the worker itself.
	fresh := workspace{dir: lite.dir, db: pgtest.DSN(t), feeds: lite.feeds}
	fresh.mustRun(t, "backfill")
	arts := fresh.export(t)
	if len(arts) != 1 || len(arts[0].Sources) != 2 {
		t.Fatalf("PostgreSQL backfill: %d articles (want 1) with %v", len(arts), arts)
	}
	if out := fresh.mustRun(t, "search", "Huawei"); !containsAll(out, "[Huawei]", "2 sources") {
		t.Errorf("search on PostgreSQL:\n%s", out)
	}
	fresh.mustRun(t, "stats")
	fresh.mustRun(t, "feeds")
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// TestReadOnlyCommandsNeverCreateAPostgresArchive: on an empty database a
// command that only reads is an error and creates no table.
func TestReadOnlyCommandsNeverCreateAPostgresArchive(t *testing.T) {
	dsn := pgtest.DSN(t)
	code, out, errOut := cliRun(t, "stats", "-db", dsn)
	if code != exitFatal || out != "" || !strings.Contains(errOut, "the database has no wiresift tables") {
		t.Errorf("stats on an empty database: exit %d, stdout %q, stderr %q; want 1 saying there is no archive", code, out, errOut)
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var has bool
	if err := conn.QueryRow(context.Background(), `SELECT to_regclass('feeds') IS NOT NULL`).Scan(&has); err != nil || has {
		t.Errorf("after stats: feeds table exists = %v (err %v), want no table", has, err)
	}
}
