package migrate

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/sqlite"
)

// buildArchive writes a SQLite archive of n articles through the sqlite
// store, as a worker would: feeds with tags and poll state, articles with
// and without dates, raw pages and fingerprints, and copies folded in by
// URL and by hash, so every column the copy moves carries data.
func buildArchive(t testing.TB, n int) string {
	t.Helper()
	ctx := context.Background()
	schema, err := os.ReadFile(filepath.Join("..", "..", "..", "schema.sql"))
	if err != nil {
		t.Fatalf("read schema.sql: %v", err)
	}
	path := filepath.Join(t.TempDir(), "archive.db")
	s, err := sqlite.Open(ctx, path, string(schema))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}

	const feedsN = 20
	cfgs := make([]store.FeedConfig, feedsN)
	for i := range cfgs {
		cfgs[i] = store.FeedConfig{URL: fmt.Sprintf("http://127.0.0.1/feed/%d.xml", i),
			Name: fmt.Sprintf("Feed %d", i), Interval: time.Duration(i) * time.Minute}
		if i%3 == 0 {
			cfgs[i].Tags = []string{"wire", fmt.Sprintf("t%d", i)}
		}
	}
	if err := s.SyncFeeds(ctx, cfgs); err != nil {
		t.Fatalf("SyncFeeds: %v", err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	base := time.Date(2025, 6, 1, 8, 0, 0, 123456000, time.UTC)
	for i, f := range feeds {
		if i%4 == 0 {
			if err := s.SaveFeedState(ctx, store.PollResult{FeedID: f.ID, State: store.FeedActive,
				ETag: fmt.Sprintf(`"e%d"`, i), PolledAt: base, NextPollAt: base.Add(time.Hour),
				Status: 200, IdentityPolicy: "guid",
				ItemDates: []time.Time{base.Add(-time.Hour).Truncate(time.Second), base.Truncate(time.Second)}}); err != nil {
				t.Fatalf("SaveFeedState: %v", err)
			}
		}
	}
	// Every shape goes through the store; the bulk of the rows is then
	// written with plain SQL in one transaction, which is much faster than
	// one ingest transaction each.
	viaStore := min(n, 1000)
	for i := 0; i < viaStore; i++ {
		f := feeds[i%feedsN]
		text := articleText(i)
		seen := base.Add(time.Duration(i) * time.Minute)
		sg := store.Sighting{
			FeedID: f.ID, FeedURL: f.URL, ItemKey: fmt.Sprintf("item-%d", i),
			ItemURL: fmt.Sprintf("http://127.0.0.1/site%d/a/%d", i%feedsN, i), ItemTitle: fmt.Sprintf("Café № %d — “wire”", i),
			SeenAt: seen,
			Article: store.ArticleData{
				URL: fmt.Sprintf("http://127.0.0.1/site%d/a/%d", i%feedsN, i), CanonicalURL: fmt.Sprintf("http://127.0.0.1/a/%d", i),
				Title: fmt.Sprintf("Café № %d — “wire”", i), Author: "A. Reporter", SiteName: "Site", Language: "en",
				Text: text, ContentHash: hashOf(text), TextSource: store.TextFromPage,
			},
		}
		if i%2 == 0 {
			p := seen.Add(-time.Hour)
			sg.Article.Published = &p
		}
		if i%3 == 0 {
			sg.Article.RawHTML = []byte(fmt.Sprintf("\x1f\x8b raw page %d", i))
		}
		if i%11 == 0 {
			sg.Article.TextSource, sg.Article.FetchError = store.TextFromFeed, "fetch: 503"
		}
		if i%10 == 0 {
			sg.Print = dedup.Make(text)
		}
		ingest(t, s, sg)
		if i%5 == 0 { // the same URL on another feed
			dup := sg
			g := feeds[(i+1)%feedsN]
			dup.FeedID, dup.FeedURL, dup.ItemKey, dup.SeenAt = g.ID, g.URL, fmt.Sprintf("dup-%d", i), seen.Add(time.Second)
			ingest(t, s, dup)
		}
		if i%7 == 0 { // the same text at another URL
			dup := sg
			g := feeds[(i+2)%feedsN]
			dup.FeedID, dup.FeedURL, dup.ItemKey = g.ID, g.URL, fmt.Sprintf("copy-%d", i)
			dup.ItemURL = fmt.Sprintf("http://127.0.0.1/copy/%d", i)
			dup.Article.CanonicalURL = dup.ItemURL
			ingest(t, s, dup)
		}
	}
	s.Close()
	bulkInsert(t, path, feeds, base, viaStore, n)
	return path
}

// bulkInsert adds articles from..n-1 to the archive in one SQLite
// transaction, each with its first sighting, a same-URL sighting for every
// fifth and near-duplicate keys for every tenth, as the store would write them.
func bulkInsert(t testing.TB, path string, feeds []store.Feed, base time.Time, from, n int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		if _, err := tx.Exec(q, args...); err != nil {
			t.Fatalf("bulk insert: %v", err)
		}
	}
	for i := from; i < n; i++ {
		f, g := feeds[i%len(feeds)], feeds[(i+1)%len(feeds)]
		text := articleText(i)
		seen := base.Add(time.Duration(i) * time.Minute).UnixMicro()
		var published any
		if i%2 == 0 {
			published = seen - time.Hour.Microseconds()
		}
		var raw any
		if i%3 == 0 {
			raw = []byte(fmt.Sprintf("\x1f\x8b raw page %d", i))
		}
		fp := dedup.Fingerprint{Words: len(strings.Fields(text))}
		if i%10 == 0 {
			fp = dedup.Make(text)
		}
		id := int64(i + 1)
		url := fmt.Sprintf("http://127.0.0.1/site%d/a/%d", i%len(feeds), i)
		title := fmt.Sprintf("Café № %d — “wire”", i)
		exec(`INSERT INTO articles (id, url, canonical_url, title, author, site_name, language, published,
			text, content_hash, text_source, fetch_error, first_seen, words, sketch, raw_html)
			VALUES (?, ?, ?, ?, 'A. Reporter', 'Site', 'en', ?, ?, ?, 'page', '', ?, ?, ?, ?)`,
			id, url, fmt.Sprintf("http://127.0.0.1/a/%d", i), title, published, text, hashOf(text), seen,
			fp.Words, fp.Sketch, raw)
		exec(`INSERT INTO sources (article_id, feed_id, item_key, url, title, seen_at, reason, similarity)
			VALUES (?, ?, ?, ?, ?, ?, 'first', 1)`, id, f.ID, fmt.Sprintf("item-%d", i), url, title, seen)
		if i%5 == 0 {
			exec(`INSERT INTO sources (article_id, feed_id, item_key, url, title, seen_at, reason, similarity)
				VALUES (?, ?, ?, ?, ?, ?, 'same_url', 1)`, id, g.ID, fmt.Sprintf("dup-%d", i), url, title, seen+1e6)
		}
		for _, k := range fp.Keys {
			exec(`INSERT OR IGNORE INTO dedup_keys (key, article_id) VALUES (?, ?)`, int64(k), id)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func ingest(t testing.TB, s store.Store, sg store.Sighting) {
	t.Helper()
	if _, err := s.Ingest(context.Background(), sg); err != nil {
		t.Fatalf("Ingest %s: %v", sg.ItemURL, err)
	}
}

func articleText(i int) string {
	var b strings.Builder
	for p := 0; p < 3; p++ {
		if p > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "Paragraph %d of report %d. Officials in district %d said figure %d rose, citing “demand” — naïve estimates aside. ",
			p+1, i, i%97, (i*37+p)%1009)
	}
	return b.String()
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// exportLines is the JSON Lines export of s, one line per article, as the
// export command writes it.
func exportLines(t testing.TB, s store.Store) []string {
	t.Helper()
	var lines []string
	err := s.Export(context.Background(), store.ExportFilter{}, func(a store.Article) error {
		b, err := json.Marshal(a)
		lines = append(lines, string(b))
		return err
	})
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	return lines
}
