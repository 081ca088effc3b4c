package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/postgres"
	"github.com/wiresift/wiresift/worker/store/sqlite"
)

const archiveArticles = 10000

func openSQLite(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	schema, err := os.ReadFile(filepath.Join("..", "..", "..", "schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), path, string(schema))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openPostgres(t *testing.T) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), pgtest.DSN(t), pgtest.Schema(t))
	if err != nil {
		t.Fatalf("postgres.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// compareExports fails with the first differing line.
func compareExports(t *testing.T, want, got []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("export: PostgreSQL has %d articles, SQLite %d", len(got), len(want))
	}
	for i := range min(len(want), len(got)) {
		if got[i] != want[i] {
			t.Fatalf("export line %d differs:\nSQLite:     %s\nPostgreSQL: %s", i+1, want[i], got[i])
		}
	}
}

// TestCopyGivesIdenticalExport migrates a 10,000-article archive in one run,
// then in a run interrupted part-way and resumed, and checks that both
// exports equal the SQLite one byte for byte.
func TestCopyGivesIdenticalExport(t *testing.T) {
	pgtest.DSN(t) // skip before the slow build when there is no server
	start := time.Now()
	path := buildArchive(t, archiveArticles)
	t.Logf("built a %d-article SQLite archive in %v", archiveArticles, time.Since(start).Round(time.Millisecond))
	src := openSQLite(t, path)
	want := exportLines(t, src)
	if len(want) != archiveArticles {
		t.Fatalf("archive has %d articles, want %d", len(want), archiveArticles)
	}
	ctx := context.Background()

	t.Run("one run", func(t *testing.T) {
		dst := openPostgres(t)
		start := time.Now()
		rep, err := Copy(ctx, path, dst, Options{})
		if err != nil {
			t.Fatalf("Copy: %v", err)
		}
		t.Logf("copied %+v in %v", rep, time.Since(start).Round(time.Millisecond))
		if rep.Articles != archiveArticles || rep.Keys == 0 {
			t.Errorf("Copy report %+v, want %d articles and some keys", rep, archiveArticles)
		}
		compareExports(t, want, exportLines(t, dst))
		checkStatsMatch(t, src, dst)
		checkFeedsMatch(t, src, dst)
	})

	t.Run("interrupted and resumed", func(t *testing.T) {
		dst := openPostgres(t)
		runCtx, cancel := context.WithCancel(ctx)
		var copiedFirst int64
		_, err := Copy(runCtx, path, dst, Options{Batch: 700, Progress: func(table string, n int64) {
			if table == "articles" && n >= 3500 {
				copiedFirst = n
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted Copy: err = %v, want context.Canceled", err)
		}
		rep, err := Copy(ctx, path, dst, Options{Batch: 700})
		if err != nil {
			t.Fatalf("resumed Copy: %v", err)
		}
		if rep.Articles != archiveArticles-copiedFirst {
			t.Errorf("resumed Copy copied %d articles, want the %d the first run had not", rep.Articles, archiveArticles-copiedFirst)
		}
		compareExports(t, want, exportLines(t, dst))

		again, err := Copy(ctx, path, dst, Options{})
		if err != nil || again.Articles != 0 || again.Sources != 0 {
			t.Errorf("Copy of a finished migration: %+v, %v; want nothing copied", again, err)
		}
		compareExports(t, want, exportLines(t, dst))
		checkWritesContinue(t, dst, len(want))
	})
}

// checkStatsMatch compares the totals both stores report.
func checkStatsMatch(t *testing.T, src, dst store.Store) {
	t.Helper()
	a, err := src.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := dst.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a.DatabaseBytes, b.DatabaseBytes = 0, 0
	if a.Articles != b.Articles || a.Sources != b.Sources ||
		len(a.DuplicatesByReason) != len(b.DuplicatesByReason) || len(a.FeedsByState) != len(b.FeedsByState) {
		t.Errorf("stats differ: SQLite %+v, PostgreSQL %+v", a, b)
	}
	for r, n := range a.DuplicatesByReason {
		if b.DuplicatesByReason[r] != n {
			t.Errorf("duplicates by %s: SQLite %d, PostgreSQL %d", r, n, b.DuplicatesByReason[r])
		}
	}
}

// checkFeedsMatch compares the feed lists, polling state included.
func checkFeedsMatch(t *testing.T, src, dst store.Store) {
	t.Helper()
	a, err := src.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := dst.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("feeds: SQLite has %d, PostgreSQL %d", len(a), len(b))
	}
	for i := range a {
		if fmt.Sprintf("%+v", a[i]) != fmt.Sprintf("%+v", b[i]) {
			t.Errorf("feed %d differs:\nSQLite:     %+v\nPostgreSQL: %+v", i, a[i], b[i])
		}
	}
}

// checkWritesContinue ingests on the migrated store: the id sequences were
// moved past the copied ids, and the copied hashes still deduplicate.
func checkWritesContinue(t *testing.T, dst *postgres.Store, articles int) {
	t.Helper()
	ctx := context.Background()
	feeds, err := dst.Feeds(ctx)
	if err != nil || len(feeds) == 0 {
		t.Fatalf("Feeds after migration: %d, %v", len(feeds), err)
	}
	f := feeds[0]
	text := "A story first seen after the migration."
	out, err := dst.Ingest(ctx, store.Sighting{FeedID: f.ID, FeedURL: f.URL, ItemKey: "after", ItemURL: "http://127.0.0.1/after",
		Article: store.ArticleData{URL: "http://127.0.0.1/after", CanonicalURL: "http://127.0.0.1/after", Text: text, ContentHash: hashOf(text)}})
	if err != nil || out.Reason != store.ReasonFirst || out.ArticleID <= int64(articles) {
		t.Errorf("new article after migration: %+v, %v; want a first sighting with id above %d", out, err, articles)
	}
	old := articleText(42)
	out, err = dst.Ingest(ctx, store.Sighting{FeedID: f.ID, FeedURL: f.URL, ItemKey: "copy-of-42", ItemURL: "http://127.0.0.1/elsewhere/42",
		Article: store.ArticleData{URL: "http://127.0.0.1/elsewhere/42", CanonicalURL: "http://127.0.0.1/elsewhere/42", Text: old, ContentHash: hashOf(old)}})
	if err != nil || out.Reason != store.ReasonSameHash {
		t.Errorf("copy of a migrated article: %+v, %v; want same_hash", out, err)
	}
}

func TestCopyRefusesWhatItCannotRead(t *testing.T) {
	dst := openPostgres(t)
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
	}{
		{"missing file", filepath.Join(dir, "none.db")},
		{"not an archive", empty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Copy(ctx, tt.path, dst, Options{}); err == nil {
				t.Errorf("Copy(%s): want an error, got nil", tt.path)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !os.IsNotExist(err) {
		t.Errorf("Copy of a missing file created it (stat err %v), want it left absent", err)
	}
}

// An archive written before SQLite schema version 3 (no feeds.item_dates)
// is copied too.
func TestCopyReadsVersion2Archive(t *testing.T) {
	dst := openPostgres(t)
	ctx := context.Background()
	schema, err := os.ReadFile(filepath.Join("..", "..", "..", "schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	v2, _, found := strings.Cut(string(schema), "-- version: 3")
	if !found {
		t.Fatal("schema.sql has no version 3 section; this test needs updating")
	}
	// Written with plain SQL, as the release with schema version 2 left it:
	// today's store reads columns a version-2 file lacks.
	path := filepath.Join(t.TempDir(), "v2.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{v2, `PRAGMA user_version = 2`,
		`INSERT INTO feeds (url, tags, next_poll_at) VALUES ('http://127.0.0.1/v2.xml', '["old"]', 0)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("build a version-2 archive: %v", err)
		}
	}
	db.Close()
	rep, err := Copy(ctx, path, dst, Options{})
	if err != nil || rep.Feeds != 1 {
		t.Fatalf("Copy of a version-2 archive: %+v, %v; want 1 feed", rep, err)
	}
	feeds, err := dst.Feeds(ctx)
	if err != nil || len(feeds) != 1 || fmt.Sprint(feeds[0].Tags) != "[old]" || feeds[0].ItemDates != nil {
		t.Errorf("copied feed: %+v, %v; want tags [old] and no item dates", feeds, err)
	}
}

// A target where a worker already registered feeds under its own ids is
// refused before anything is copied.
func TestCopyRefusesTargetWithOtherFeeds(t *testing.T) {
	ctx := context.Background()
	dst := openPostgres(t)
	schema, err := os.ReadFile(filepath.Join("..", "..", "..", "schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a.db")
	src, err := sqlite.Open(ctx, path, string(schema))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"http://127.0.0.1/a.xml", "http://127.0.0.1/b.xml"} {
		if err := src.AddFeed(ctx, store.FeedConfig{URL: u}); err != nil {
			t.Fatal(err)
		}
	}
	src.Close()
	// The same URL as the archive's second feed, but as feed 1.
	if err := dst.AddFeed(ctx, store.FeedConfig{URL: "http://127.0.0.1/b.xml"}); err != nil {
		t.Fatal(err)
	}
	rep, err := Copy(ctx, path, dst, Options{})
	if !errors.Is(err, ErrForeignTarget) || rep != (Report{}) {
		t.Errorf("Copy into a target with other feeds: %+v, %v; want nothing copied and ErrForeignTarget", rep, err)
	}
}
