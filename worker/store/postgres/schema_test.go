package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/store"
)

func TestParseSchemaSplitsVersionedSections(t *testing.T) {
	tests := []struct {
		name     string
		schema   string
		versions []int
		wantErr  bool
	}{
		{"one section", "-- header\n-- version: 1\nCREATE TABLE a (x int);\n", []int{1}, false},
		{"two sections", "-- version: 1\nA;\n-- version: 2\nB;\n", []int{1, 2}, false},
		{"no marker", "CREATE TABLE a (x int);", nil, true},
		{"skips SQLite-only versions", "-- version: 1\nA;\n-- version: 3\nB;\n", []int{1, 3}, false},
		{"repeated", "-- version: 1\nA;\n-- version: 1\nB;\n", nil, true},
		{"down", "-- version: 1\nA;\n-- version: 3\nB;\n-- version: 2\nC;\n", nil, true},
		{"starts at two", "-- version: 2\nA;\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSchema(tt.schema)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseSchema error = %v, want error %v", err, tt.wantErr)
			}
			if len(got) != len(tt.versions) {
				t.Fatalf("got %d sections, want %d", len(got), len(tt.versions))
			}
			for i, s := range got {
				if s.version != tt.versions[i] {
					t.Errorf("section %d: version %d, want %d", i, s.version, tt.versions[i])
				}
			}
		})
	}
}

func TestOpenConcurrentWorkersApplySchemaOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t)
	const workers = 4
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), dsn, schema)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("worker %d: Open: %v, want nil", i, err)
		}
	}
	s := openDSN(t, dsn)
	var rows, version int
	if err := s.pool.QueryRow(context.Background(),
		`SELECT count(*), max(version) FROM schema_version`).Scan(&rows, &version); err != nil {
		t.Fatal(err)
	}
	sections, err := parseSchema(schema)
	if err != nil {
		t.Fatal(err)
	}
	if newest := sections[len(sections)-1].version; rows != 1 || version != newest {
		t.Errorf("schema_version has %d rows, version %d; want 1 row, version %d", rows, version, newest)
	}
}

func TestOpenMigratesToNewSectionAndRefusesNewerDatabase(t *testing.T) {
	ctx := context.Background()
	s, dsn := openTest(t)
	s.Close()
	sections, err := parseSchema(pgtest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	next := sections[len(sections)-1].version + 1
	newer := fmt.Sprintf("%s\n-- version: %d\nCREATE TABLE extra (x int);\n", pgtest.Schema(t), next)
	s2, err := Open(ctx, dsn, newer)
	if err != nil {
		t.Fatalf("Open with version %d: %v", next, err)
	}
	if _, err := s2.pool.Exec(ctx, `INSERT INTO extra VALUES (1)`); err != nil {
		t.Errorf("version %d section not applied: %v", next, err)
	}
	s2.Close()
	_, err = Open(ctx, dsn, pgtest.Schema(t))
	if !errors.Is(err, store.ErrNewerSchema) {
		t.Errorf("Open of a version-%d database with an older schema: err = %v, want ErrNewerSchema", next, err)
	}
}

// A read-only replica (here: a session with default_transaction_read_only)
// opens without writing, serves reads, and refuses writes with
// store.ErrReadOnlyMode.
func TestOpenReadOnlyDatabaseServesReadsAndRefusesWrites(t *testing.T) {
	ctx := context.Background()
	rw, dsn := openTest(t)
	f := addFeeds(t, rw, 1)["http://feeds.test/0"]
	if _, err := rw.Ingest(ctx, sighting(f, "a", "http://site.test/a", story)); err != nil {
		t.Fatal(err)
	}
	ro := openDSN(t, readOnlyDSN(dsn))
	a, err := ro.Article(ctx, 1)
	if err != nil || a.Text != story {
		t.Fatalf("Article on the read-only store: %q, %v; want the stored text", a.Text, err)
	}
	writes := []struct {
		name string
		do   func() error
	}{
		{"Ingest", func() error {
			_, err := ro.Ingest(ctx, sighting(f, "b", "http://site.test/b", story+" More."))
			return err
		}},
		{"ClaimDueFeeds", func() error {
			_, err := ro.ClaimDueFeeds(ctx, time.Now().Add(time.Second), 1, time.Minute)
			return err
		}},
		{"AddFeed", func() error { return ro.AddFeed(ctx, store.FeedConfig{URL: "http://feeds.test/new"}) }},
	}
	for _, w := range writes {
		if err := w.do(); !errors.Is(err, store.ErrReadOnlyMode) {
			t.Errorf("%s on a read-only database: err = %v, want ErrReadOnlyMode", w.name, err)
		}
	}
}

func readOnlyDSN(dsn string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&default_transaction_read_only=on"
	}
	return dsn + " default_transaction_read_only=on"
}

// A database made by the first release opens with today's schema and keeps
// its feeds; the new item_dates column starts empty and then round-trips.
func TestOpenUpgradesVersion1Database(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	full := pgtest.Schema(t)
	v1 := full[:strings.Index(full, "-- version: 2")]
	old, err := Open(ctx, dsn, v1)
	if err != nil {
		t.Fatalf("Open with version 1 only: %v", err)
	}
	if err := old.AddFeed(ctx, store.FeedConfig{URL: "http://feeds.test/old"}); err != nil {
		t.Fatal(err)
	}
	old.Close()

	s := openDSN(t, dsn)
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 1 || len(feeds[0].ItemDates) != 0 {
		t.Fatalf("after upgrade: feeds %+v, %v; want the old feed with no item dates", feeds, err)
	}
	dates := []time.Time{time.Unix(1700000000, 0).UTC(), time.Unix(1700003600, 0).UTC()}
	if err := s.SaveFeedState(ctx, store.PollResult{FeedID: feeds[0].ID, ItemDates: dates}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveFeedState(ctx, store.PollResult{FeedID: feeds[0].ID}); err != nil { // nil keeps them
		t.Fatal(err)
	}
	feeds, err = s.Feeds(ctx)
	if err != nil || fmt.Sprint(feeds[0].ItemDates) != fmt.Sprint(dates) {
		t.Errorf("item dates = %v, %v; want %v", feeds[0].ItemDates, err, dates)
	}
}

// TestOpenUpgradesVersion3ArchiveMarksTextPages opens an archive written
// before version 6 (articles and their sightings, no text roles) with the
// full schema: each article's first sighting becomes the page its text is.
func TestOpenUpgradesVersion3ArchiveMarksTextPages(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	full := pgtest.Schema(t)
	i := strings.Index(full, "-- version: 6")
	if i < 0 {
		t.Fatal("schema_postgres.sql has no version 6")
	}
	old, err := Open(ctx, dsn, full[:i])
	if err != nil {
		t.Fatalf("Open before version 6: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO feeds (id, url) VALUES (1, 'http://feeds.test/a'), (2, 'http://feeds.test/b')`,
		`INSERT INTO articles (id, url, canonical_url, title, text, first_seen)
		 VALUES (1, 'http://a.test/1', 'http://a.test/1', 'Lighthouse', 'A lighthouse stood on the cape.', now())`,
		`INSERT INTO sources (article_id, feed_id, item_key, url, seen_at, reason, similarity)
		 VALUES (1, 1, 'k1', 'http://a.test/1', now(), 'first', 1),
		        (1, 2, 'k2', 'http://b.test/1', now(), 'same_hash', 1)`,
	} {
		if _, err := old.pool.Exec(ctx, q); err != nil {
			t.Fatalf("build the old archive: %v\n%s", err, q)
		}
	}
	old.Close()

	s := openDSN(t, dsn)
	a, err := s.Article(ctx, 1)
	if err != nil || len(a.Sources) != 2 || a.Sources[0].TextRole != store.TextCurrent || a.Sources[1].TextRole != "" {
		t.Fatalf("after upgrade: sources %+v, %v; want the first sighting current, the second none", a.Sources, err)
	}
	// The one-page-per-article rule now holds in the database itself.
	if _, err := s.pool.Exec(ctx, `UPDATE sources SET text_role = 'current' WHERE item_key = 'k2'`); err == nil {
		t.Error("a second current page for article 1 was accepted, want a unique violation")
	}
}
