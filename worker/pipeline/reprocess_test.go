package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/article"
	"github.com/wiresift/wiresift/worker/charset"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/sqlite"
)

func TestReextractKeepsWhatThePageDoesNotSay(t *testing.T) {
	published := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	pageText := "The harbour reopened on Monday after a week of repairs to the sea wall and the ferry ramps."
	feedText := "A short teaser from the feed."
	withBody := func(head, body string) []byte {
		return []byte("<!doctype html><html><head>" + head + "</head><body>" + body + "</body></html>")
	}
	tests := []struct {
		name       string
		stored     store.Article
		page       []byte
		wantText   string
		wantSource string
		wantTitle  string
	}{
		{
			name:     "page text replaces a page text",
			stored:   store.Article{Title: "Stored", Text: "old text", TextSource: store.TextFromPage},
			page:     withBody("<title>Harbour reopens</title>", "<article><h1>Harbour reopens</h1><p>"+pageText+"</p></article>"),
			wantText: pageText, wantSource: store.TextFromPage, wantTitle: "Harbour reopens",
		},
		{
			name:     "a page that now yields nothing keeps the stored text",
			stored:   store.Article{Title: "Stored", Text: "old text", TextSource: store.TextFromPage},
			page:     withBody("", ""),
			wantText: "old text", wantSource: store.TextFromPage, wantTitle: "Stored",
		},
		{
			name:     "a stored feed text is weighed against the page, as at ingest",
			stored:   store.Article{Title: "Stored", Text: feedText, TextSource: store.TextFromFeed},
			page:     withBody("", ""),
			wantText: feedText, wantSource: store.TextFromFeed, wantTitle: "Stored",
		},
		{
			name:     "a teaser from the feed loses to a page that now has the story",
			stored:   store.Article{Title: "Stored", Text: feedText, TextSource: store.TextFromFeed},
			page:     withBody("", "<article><p>"+pageText+"</p></article>"),
			wantText: pageText, wantSource: store.TextFromPage, wantTitle: "Stored",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.stored.URL = "http://news.test/a/1"
			tc.stored.Published = &published
			got, _, err := article.Reextract(tc.stored, tc.page, tc.stored.URL, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != tc.wantText || got.TextSource != tc.wantSource || got.Title != tc.wantTitle {
				t.Errorf("got text %q (%s) title %q; want %q (%s) title %q",
					got.Text, got.TextSource, got.Title, tc.wantText, tc.wantSource, tc.wantTitle)
			}
			if got.Published == nil || !got.Published.Equal(published) || got.CanonicalURL != "http://news.test/a/1" {
				t.Errorf("got published %v canonical %q; want the stored date and the page URL", got.Published, got.CanonicalURL)
			}
		})
	}
}

func TestDecompressReversesCompress(t *testing.T) {
	page := []byte(strings.Repeat("<p>Ünïcode page ✓</p>", 100))
	got, err := article.Decompress(article.Compress(page))
	if err != nil || string(got) != string(page) {
		t.Fatalf("article.Decompress(article.Compress(page)): got %d bytes, err %v; want the %d bytes back", len(got), err, len(page))
	}
	if _, err := article.Decompress([]byte("<html>not gzip")); err == nil {
		t.Error("decompress of a non-gzip page: want an error, got none")
	}
}

// A broken stored page is counted and logged; the pass goes on.
func TestReprocessCountsBrokenPagesAndGoesOn(t *testing.T) {
	h := newHarness(t, nil)
	u := h.addFeed("/feed")
	f := h.feed(u)
	ctx := context.Background()
	good := "The harbour reopened on Monday after a week of repairs to the sea wall and the ferry ramps, officials said."
	for i, raw := range [][]byte{[]byte("not gzip at all"), article.Compress([]byte("<article><p>" + good + "</p></article>"))} {
		h.storeRawPage(f, []string{"http://news.test/broken", "http://news.test/good"}[i], raw)
	}
	rep, err := h.p.Reprocess(ctx, nil, "")
	if err != nil {
		t.Fatalf("Reprocess: %v", err)
	}
	if rep.Pages != 1 || rep.Changed != 1 || rep.Failed != 1 || rep.Merged != 0 {
		t.Errorf("report %+v; want 1 page re-extracted and changed, 1 failed, none merged", rep)
	}

	stop := make(chan struct{})
	close(stop)
	if rep, err := h.p.Reprocess(ctx, stop, ""); err != nil || rep.Pages != 0 {
		t.Errorf("Reprocess after stop: report %+v, err %v; want nothing done and no error", rep, err)
	}
}

// BenchmarkKeepRawCorpus measures what -keep-raw costs: each extraction
// corpus page decoded to UTF-8 and compressed as ingest stores it.
//
//	go test -run '^$' -bench KeepRawCorpus -benchtime 1x ./worker/pipeline
func BenchmarkKeepRawCorpus(b *testing.B) {
	paths, _ := filepath.Glob("../../../shared/corpus/extraction-dev/html/*.html")
	if len(paths) == 0 {
		b.Skip("../shared/corpus/extraction-dev is absent")
	}
	var pages [][]byte
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		utf8Body, err := charset.Decode(body, "text/html")
		if err != nil {
			b.Fatalf("%s: %v", p, err)
		}
		pages = append(pages, utf8Body)
	}
	b.ResetTimer()
	var raw, kept int
	for range b.N {
		raw, kept = 0, 0
		for _, pg := range pages {
			raw += len(pg)
			kept += len(article.Compress(pg))
		}
	}
	b.ReportMetric(float64(len(pages)), "pages")
	b.ReportMetric(float64(raw)/float64(len(pages)), "decoded-bytes/page")
	b.ReportMetric(float64(kept)/float64(len(pages)), "kept-bytes/page")
	b.ReportMetric(float64(kept)/float64(raw), "ratio")
}

// BenchmarkReprocessCorpus measures a reprocess pass over the extraction
// corpus stored in SQLite: read, decompress, extract, fingerprint, write.
//
//	go test -run '^$' -bench ReprocessCorpus -benchtime 3x ./worker/pipeline
func BenchmarkReprocessCorpus(b *testing.B) {
	paths, _ := filepath.Glob("../../../shared/corpus/extraction-dev/html/*.html")
	if len(paths) == 0 {
		b.Skip("../shared/corpus/extraction-dev is absent")
	}
	ctx := context.Background()
	schema, err := os.ReadFile("../../schema.sql")
	if err != nil {
		b.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "w.db"), string(schema))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	u := "http://corpus.test/feed"
	if err := st.AddFeed(ctx, store.FeedConfig{URL: u}); err != nil {
		b.Fatal(err)
	}
	feeds, err := st.Feeds(ctx)
	if err != nil {
		b.Fatal(err)
	}
	f := feeds[0]
	p := New(Config{Store: st, Fetcher: fetch.New(fetch.Config{})})
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		link := "http://corpus.test/" + filepath.Base(p)
		sg := store.Sighting{FeedID: f.ID, FeedURL: u, ItemKey: link, ItemURL: link, SeenAt: time.Now(),
			Article: store.ArticleData{URL: link, CanonicalURL: link, Text: "placeholder " + link,
				TextSource: store.TextFromPage, RawHTML: article.Compress(body)}}
		if _, err := st.Ingest(ctx, sg); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	var rep ReprocessReport
	for range b.N {
		var err error
		if rep, err = p.Reprocess(ctx, nil, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rep.Pages), "pages")
	b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N)/float64(max(rep.Pages, 1))*1e3, "ms/page")
}

// A pass over an archive kept by an earlier version and extended by this
// one re-extracts the gzip and the S2 pages alike.
func TestReprocessReadsGzipAndS2Pages(t *testing.T) {
	h := newHarness(t, nil)
	u := h.addFeed("/feed")
	f := h.feed(u)
	ctx := context.Background()
	old, err := os.ReadFile("../article/testdata/rawpage/gzip-bestspeed.html.gz")
	if err != nil {
		t.Fatal(err)
	}
	other := "Storm warnings went up along the coast on Tuesday as forecasters tracked a deepening low toward the islands."
	pages := map[string][]byte{
		"http://news.test/old": old,
		"http://news.test/new": article.Compress([]byte("<article><p>" + other + "</p></article>")),
	}
	for key, raw := range pages {
		h.storeRawPage(f, key, raw)
	}
	rep, err := h.p.Reprocess(ctx, nil, "")
	if err != nil {
		t.Fatalf("Reprocess: %v", err)
	}
	if rep.Pages != 2 || rep.Changed != 2 || rep.Failed != 0 {
		t.Errorf("report %+v; want both pages re-extracted and changed, none failed", rep)
	}
}
