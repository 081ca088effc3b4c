package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

// seedArchive adds a feed and n articles to s and returns the feed.
func seedArchive(t testing.TB, s store.Store, n int) store.Feed {
	t.Helper()
	ctx := context.Background()
	if err := s.AddFeed(ctx, store.FeedConfig{URL: "http://127.0.0.1/f.xml"}); err != nil {
		t.Fatalf("AddFeed: %v", err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	for i := 0; i < n; i++ {
		if _, err := s.Ingest(ctx, testSighting(feeds[0], i)); err != nil {
			t.Fatalf("Ingest %d: %v", i, err)
		}
	}
	return feeds[0]
}

func testSighting(f store.Feed, i int) store.Sighting {
	text := fmt.Sprintf("Story %d: the lighthouse keeper counted %d ships passing the cape.", i, i*7)
	return store.Sighting{
		FeedID: f.ID, FeedURL: f.URL, ItemKey: fmt.Sprint(i),
		ItemURL: fmt.Sprintf("http://127.0.0.1/a/%d", i), ItemTitle: fmt.Sprintf("Story %d", i),
		SeenAt: time.Date(2025, 1, 1, 0, i, 0, 0, time.UTC),
		Article: store.ArticleData{
			URL: fmt.Sprintf("http://127.0.0.1/a/%d", i), CanonicalURL: fmt.Sprintf("http://127.0.0.1/a/%d", i),
			Title: fmt.Sprintf("Story %d", i), Text: text, ContentHash: fmt.Sprintf("%x", sha256.Sum256([]byte(text))),
			TextSource: store.TextFromPage,
		},
		Print: dedup.Fingerprint{Words: 12},
	}
}

func exportJSON(t *testing.T, s store.Store) string {
	t.Helper()
	var b strings.Builder
	err := s.Export(context.Background(), store.ExportFilter{}, func(a store.Article) error {
		fmt.Fprintf(&b, "%d %s %s %d\n", a.ID, a.Title, a.Text, len(a.Sources))
		return nil
	})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	return b.String()
}

func integrityOK(t *testing.T, s *Store) {
	t.Helper()
	var res string
	if err := s.read.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("PRAGMA integrity_check: want ok, got %q, %v", res, err)
	}
	// With rank 1, FTS5 checks its index against the articles table itself.
	if _, err := s.write.Exec(`INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)`); err != nil && !s.readOnly {
		t.Errorf("FTS index out of step with articles: %v", err)
	}
}

func TestReadOnlyFileKeepsDataAndNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	s, err := Open(context.Background(), path, schemaText(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	feed := seedArchive(t, s, 3)
	want := exportJSON(t, s)
	s.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatalf("chmod: %v", err)
	}

	ro, err := Open(context.Background(), path, schemaText(t))
	if err != nil {
		t.Fatalf("Open of a read-only file: want it opened for reading, got %v", err)
	}
	if !ro.readOnly {
		t.Errorf("ReadOnly(): want true for a file with mode 0444")
	}
	if got := exportJSON(t, ro); got != want {
		t.Errorf("export of the read-only file: want\n%s\ngot\n%s", want, got)
	}
	_, err = ro.Ingest(context.Background(), testSighting(feed, 99))
	if !errors.Is(err, store.ErrReadOnlyMode) || !strings.Contains(err.Error(), path) {
		t.Errorf("Ingest into a read-only file: want ErrReadOnlyMode naming %s, got %v", path, err)
	}
	ro.Close()

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatalf("chmod: %v", err)
	}
	rw := openPath(t, path)
	if got := exportJSON(t, rw); got != want {
		t.Errorf("archive after the read-only episode: want\n%s\ngot\n%s", want, got)
	}
	integrityOK(t, rw)
}

func openPath(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, schemaText(t))
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestLockedDatabaseFailsAfterBusyTimeout(t *testing.T) {
	s := openTemp(t, Options{BusyTimeout: 200 * time.Millisecond})
	feed := seedArchive(t, s, 1)

	// Another connection (as another process would) holds the write lock.
	other, err := sql.Open("sqlite", s.path)
	if err != nil {
		t.Fatalf("open second connection: %v", err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatalf("second connection: %v", err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatalf("take the write lock: %v", err)
	}

	_, err = s.Ingest(context.Background(), testSighting(feed, 1))
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), s.path) {
		t.Errorf("Ingest while another connection holds the lock: want ErrBusy naming %s, got %v", s.path, err)
	}
	if _, err := s.Article(context.Background(), 1); err != nil {
		t.Errorf("reads while another connection writes: want them to work, got %v", err)
	}

	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatalf("release the lock: %v", err)
	}
	conn.Close()
	if _, err := s.Ingest(context.Background(), testSighting(feed, 1)); err != nil {
		t.Errorf("Ingest after the lock is released: %v", err)
	}
	integrityOK(t, s)
}

func TestNewerSchemaRefusedUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	s, err := Open(context.Background(), path, schemaText(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	seedArchive(t, s, 2)
	if _, err := s.write.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatalf("set user_version: %v", err)
	}
	s.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read file: %v", err)
	}

	_, err = Open(context.Background(), path, schemaText(t))
	if !errors.Is(err, store.ErrNewerSchema) {
		t.Fatalf("Open of a version-99 database: want ErrNewerSchema, got %v", err)
	}
	newest := fmt.Sprint(strings.Count(schemaText(t), "\n-- version: "))
	for _, part := range []string{path, "99", newest} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("newer-schema error: want it to mention %q, got %q", part, err)
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read file: %v", err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("refused database: want its file byte-for-byte unchanged, %d bytes became %d", len(before), len(after))
	}
}

// versionOne is schema.sql cut before its second section.
func versionOne(t *testing.T) string {
	full := schemaText(t)
	i := strings.Index(full, "-- version: 2")
	if i < 0 {
		t.Skip("schema.sql has a single version")
	}
	return full[:i]
}

// TestMigrationFromVersionOneKeepsData writes a version-1 database with plain
// SQL, as the release that had only version 1 left it (today's code reads
// later columns, so it cannot write one), then opens it with the full schema.
func TestMigrationFromVersionOneKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		versionOne(t),
		`PRAGMA user_version = 1`,
		`INSERT INTO feeds (id, url, next_poll_at) VALUES (1, 'http://127.0.0.1/old.xml', 0)`,
		// A worker holds this one until 2100: the lease must survive its
		// move to feed_leases (version 5).
		`INSERT INTO feeds (id, url, next_poll_at, leased_until) VALUES (2, 'http://127.0.0.1/leased.xml', 0, 4102444800000000)`,
		`INSERT INTO articles (id, url, canonical_url, title, text, content_hash, first_seen)
		 VALUES (1, 'http://127.0.0.1/a', 'http://127.0.0.1/a', 'The lighthouse keeper', 'A lighthouse stood on the cape.', 'h1', 1700000000000000)`,
		`INSERT INTO sources (article_id, feed_id, item_key, url, seen_at, reason, similarity)
		 VALUES (1, 1, 'k1', 'http://127.0.0.1/a', 1700000000000000, 'first', 1)`,
		`INSERT INTO sources (article_id, feed_id, item_key, url, seen_at, reason, similarity)
		 VALUES (1, 2, 'k2', 'http://127.0.0.1/b', 1700000000000001, 'same_hash', 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("build version-1 database: %v\n%s", err, q)
		}
	}
	db.Close()

	s := openPath(t, path)
	want := strings.Count(schemaText(t), "\n-- version: ")
	if v, err := userVersion(context.Background(), s.read); err != nil || v != want {
		t.Fatalf("user_version after migration: want %d, got %d, %v", want, v, err)
	}
	feeds, err := s.Feeds(context.Background())
	if err != nil || len(feeds) != 2 || feeds[0].URL != "http://127.0.0.1/old.xml" {
		t.Fatalf("feeds after migration: %+v, %v", feeds, err)
	}
	if until := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC); !feeds[1].LeasedUntil.Equal(until) || !feeds[0].LeasedUntil.IsZero() {
		t.Errorf("leases after migration: want none and %v, got %v and %v", until, feeds[0].LeasedUntil, feeds[1].LeasedUntil)
	}
	claimed, err := s.ClaimDueFeeds(context.Background(), time.Now(), 10, time.Minute)
	if err != nil || len(claimed) != 1 || claimed[0].ID != 1 {
		t.Errorf("claim after migration: want only the unleased feed 1, got %+v, %v", claimed, err)
	}
	if arts, want := exportJSON(t, s), "1 The lighthouse keeper A lighthouse stood on the cape. 2\n"; arts != want {
		t.Errorf("export after migration: want %q, got %q", want, arts)
	}
	// Version 6 marks the first sighting's page as the article's text.
	if a, err := s.Article(context.Background(), 1); err != nil || len(a.Sources) != 2 ||
		a.Sources[0].TextRole != store.TextCurrent || a.Sources[1].TextRole != "" {
		t.Errorf("text roles after migration: want the first sighting current, the second none; got %+v, %v", a.Sources, err)
	}
	// Later versions index the rows stored before them.
	hits, err := s.Search(context.Background(), "lighthouse", store.SearchOptions{})
	if err != nil || len(hits) != 1 {
		t.Errorf("search over migrated rows: want 1 hit, got %d, %v", len(hits), err)
	}
	integrityOK(t, s)
}

func TestFailedIngestLeavesNoTrace(t *testing.T) {
	s := openTemp(t, Options{})
	feed := seedArchive(t, s, 0)
	sg := testSighting(feed, 1)
	sg.FeedID = feed.ID + 100 // no such feed: AddSource fails after InsertArticle
	if _, err := s.Ingest(context.Background(), sg); err == nil {
		t.Fatalf("Ingest on a missing feed: want a foreign-key error, got nil")
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.Articles != 0 || st.Sources != 0 {
		t.Errorf("after a failed ingest: want 0 articles and 0 sources, got %+v, %v", st, err)
	}
	if hits, err := s.Search(context.Background(), "lighthouse", store.SearchOptions{}); err != nil || len(hits) != 0 {
		t.Errorf("search after a rolled-back ingest: want no hit, got %v, %v", hits, err)
	}
	integrityOK(t, s)
}

func TestTwoStoresOnOneFileStoreOneArticle(t *testing.T) {
	// Two Stores stand for two processes: they share only the file lock.
	a := openTemp(t, Options{})
	b := openPath(t, a.path)
	feeds := make([]store.Feed, 0, 8)
	for i := 0; i < 8; i++ {
		if err := a.AddFeed(context.Background(), store.FeedConfig{URL: fmt.Sprintf("http://127.0.0.1/%d.xml", i)}); err != nil {
			t.Fatalf("AddFeed: %v", err)
		}
	}
	all, err := a.Feeds(context.Background())
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	feeds = append(feeds, all...)
	const stories = 4
	var wg sync.WaitGroup
	errs := make(chan error, len(feeds)*stories)
	for k := 0; k < stories; k++ {
		for i, f := range feeds {
			sg := testSighting(f, k)
			sg.Article.CanonicalURL = fmt.Sprintf("http://127.0.0.1/site%d/story%d", i, k)
			st := []*Store{a, b}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := st.Ingest(context.Background(), sg); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Ingest from two stores: %v", err)
	}
	st, err := b.Stats(context.Background())
	if err != nil || st.Articles != stories || st.Sources != int64(len(feeds)*stories) {
		t.Errorf("%d stories from %d feeds each through two stores: want %d articles and %d sources, got %+v, %v",
			stories, len(feeds), stories, len(feeds)*stories, st, err)
	}
}

// TestFullDiskRollsBackAndKeepsData injects a full disk with max_page_count:
// SQLite then fails a write exactly as on a full file system (SQLITE_FULL).
func TestFullDiskRollsBackAndKeepsData(t *testing.T) {
	s := openTemp(t, Options{})
	feed := seedArchive(t, s, 2)
	want := exportJSON(t, s)
	var pages int
	if err := s.write.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatalf("page_count: %v", err)
	}
	// The write pool is one connection, so the limit holds for every write.
	if _, err := s.write.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatalf("max_page_count: %v", err)
	}
	sg := testSighting(feed, 7)
	sg.Article.Text = strings.Repeat("A long wire story that does not fit. ", 2000)
	_, err := s.Ingest(context.Background(), sg)
	if !errors.Is(err, store.ErrStorageFull) || !strings.Contains(err.Error(), s.path) {
		t.Fatalf("Ingest on a full disk: want ErrStorageFull naming %s, got %v", s.path, err)
	}
	if got := exportJSON(t, s); got != want {
		t.Errorf("archive after a failed write on a full disk: want\n%s\ngot\n%s", want, got)
	}
	integrityOK(t, s)

	if _, err := s.write.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatalf("lift max_page_count: %v", err)
	}
	if _, err := s.Ingest(context.Background(), sg); err != nil {
		t.Errorf("Ingest once there is room again: %v", err)
	}
}

// TestClaimAloneEndsEveryStoredLease: what a poll holding the lock file runs to
// free the feeds a crashed poll left leased.
func TestClaimAloneEndsEveryStoredLease(t *testing.T) {
	s := openTemp(t, Options{})
	ctx := context.Background()
	for i := range 3 {
		if err := s.AddFeed(ctx, store.FeedConfig{URL: fmt.Sprintf("http://127.0.0.1/f%d.xml", i)}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	claimed, err := s.ClaimDueFeeds(ctx, now, 10, 15*time.Minute)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("claim: %d feeds, %v", len(claimed), err)
	}
	if again, _ := s.ClaimDueFeeds(ctx, now, 10, 15*time.Minute); len(again) != 0 {
		t.Fatalf("claim while leased: want none, got %d", len(again))
	}
	n, err := s.ClaimAlone(ctx)
	if err != nil || n != 3 {
		t.Fatalf("ClaimAlone: %d, %v; want 3", n, err)
	}
	if again, _ := s.ClaimDueFeeds(ctx, now, 10, 15*time.Minute); len(again) != 3 {
		t.Errorf("claim after ClaimAlone: want all 3 feeds, got %d", len(again))
	}
}
