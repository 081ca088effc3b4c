package cli

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// newsSite serves a news site that publishes a sitemap index (a gzip news
// sitemap of the last days, monthly sitemaps before), a robots.txt and a
// feed; copies is a second site whose feed republishes some of its stories.
type newsSite struct {
	*httptest.Server
	mu       sync.Mutex
	requests map[string]int
	files    map[string]func(base string) (string, []byte)
}

func (s *newsSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests[r.URL.Path]++
	f := s.files[r.URL.Path]
	s.mu.Unlock()
	if f == nil {
		http.NotFound(w, r)
		return
	}
	ctype, body := f(s.URL)
	w.Header().Set("Content-Type", ctype)
	w.Write(body)
}

func (s *newsSite) hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

func newNewsSite(t *testing.T) *newsSite {
	s := &newsSite{requests: map[string]int{}, files: map[string]func(string) (string, []byte){}}
	s.Server = httptest.NewServer(s)
	t.Cleanup(s.Close)
	return s
}

func (s *newsSite) text(path, ctype, body string) {
	s.files[path] = func(base string) (string, []byte) {
		return ctype, []byte(strings.ReplaceAll(body, "{{base}}", base))
	}
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// storyPage is story n's article page; every site uses the same words, so
// a copy's text hashes the same.
func storyPage(n int) string { return archiveArticle(1000 + n) }

func urlset(news bool, entries ...string) string {
	ns := ""
	if news {
		ns = ` xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"`
	}
	return `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"` + ns + `>` +
		strings.Join(entries, "") + `</urlset>`
}

func newsEntry(loc, title, date string) string {
	return `<url><loc>` + loc + `</loc><news:news><news:publication><news:name>Harbour Times</news:name><news:language>en</news:language></news:publication>` +
		`<news:publication_date>` + date + `</news:publication_date><news:title>` + title + `</news:title></news:news></url>`
}

func plainEntry(loc, lastmod string) string {
	return `<url><loc>` + loc + `</loc><lastmod>` + lastmod + `</lastmod></url>`
}

// sitemapWorld is the news site and the copies site, wired together.
func sitemapWorld(t *testing.T) (news, copies *newsSite) {
	news, copies = newNewsSite(t), newNewsSite(t)
	for n := 1; n <= 9; n++ {
		news.text(fmt.Sprintf("/a/%d", n), "text/html; charset=utf-8", storyPage(n))
	}
	news.text("/private/draft", "text/html; charset=utf-8", storyPage(99))
	news.text("/robots.txt", "text/plain", "User-agent: *\nDisallow: /private/\nSitemap: {{base}}/sitemap_index.xml\n")
	news.text("/sitemap_index.xml", "application/xml", `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{{base}}/sitemap-2026-03.xml</loc><lastmod>2026-03-31T20:00:00Z</lastmod></sitemap>
<sitemap><loc>{{base}}/sitemap-news.xml.gz</loc><lastmod>2026-05-03T08:00:00Z</lastmod></sitemap>
<sitemap><loc>{{base}}/sitemap-2026-04.xml</loc><lastmod>2026-04-30T20:00:00Z</lastmod></sitemap>
</sitemapindex>`)
	otherHost := copies.URL + "/copy/3"
	news.files["/sitemap-news.xml.gz"] = func(base string) (string, []byte) {
		body := urlset(true,
			newsEntry(base+"/a/1", "Harbour strike ends", "2026-05-03T07:00:00Z"),
			newsEntry(base+"/a/2", "Budget passes", "2026-05-02T07:00:00Z"),
			newsEntry(base+"/a/3", "Ferry returns", "2026-05-01T07:00:00Z"),
			newsEntry(otherHost, "Not ours", "2026-05-01T07:00:00Z"),
			newsEntry(base+"/private/draft", "Draft", "2026-05-01T07:00:00Z"))
		return "application/x-gzip", gzipped([]byte(body))
	}
	news.files["/sitemap-2026-04.xml"] = func(base string) (string, []byte) {
		return "application/xml", []byte(urlset(false,
			plainEntry(base+"/a/4", "2026-04-20"), plainEntry(base+"/a/5", "2026-04-12"), plainEntry(base+"/a/6", "2026-04-02")))
	}
	news.files["/sitemap-2026-03.xml"] = func(base string) (string, []byte) {
		return "application/xml", []byte(urlset(false, plainEntry(base+"/a/7", "2026-03-20"), plainEntry(base+"/a/8", "2026-03-02")))
	}
	// The site's feed carries stories 1 and 4 again: the same URLs as the sitemap.
	news.text("/feed.xml", "application/rss+xml", rss("Harbour Times", [2]string{"Harbour strike ends", "/a/1"}, [2]string{"Old budget story", "/a/4"}))
	// The wire copies republish stories 2 and 5 word for word on their own URLs.
	copies.text("/copy/2", "text/html; charset=utf-8", storyPage(2))
	copies.text("/copy/5", "text/html; charset=utf-8", storyPage(5))
	copies.text("/copy/3", "text/html; charset=utf-8", storyPage(3))
	copies.text("/feed.xml", "application/rss+xml", rss("Wire copies", [2]string{"Budget passes (wire)", "/copy/2"}, [2]string{"Spring story (wire)", "/copy/5"}))
	return news, copies
}

// sitemapSummary is the export as one line per article listing its
// sources ("page via source"), sorted: sources are polled in parallel, so
// which copy came first (and names the article) may differ between runs.
func sitemapSummary(t *testing.T, w workspace, news, copies *newsSite) []string {
	return summarizeSources(t, w.export(t), news, copies)
}

// summarizeSources is sitemapSummary over an export, keeping only the
// articles of the news and copies sites.
func summarizeSources(t *testing.T, arts []store.Article, news, copies *newsSite) []string {
	var out []string
	short := strings.NewReplacer(news.URL, "news", copies.URL, "copies")
	for _, a := range arts {
		if !strings.HasPrefix(a.URL, news.URL) && !strings.HasPrefix(a.URL, copies.URL) {
			continue
		}
		var srcs []string
		firsts := 0
		for _, s := range a.Sources {
			srcs = append(srcs, short.Replace(s.URL+" via "+s.FeedURL))
			if s.Reason == "first" {
				firsts++
			}
		}
		if firsts != 1 {
			t.Errorf("article %s: want exactly one first sighting, got %d", a.URL, firsts)
		}
		sort.Strings(srcs)
		out = append(out, strings.Join(srcs, " + "))
	}
	sort.Strings(out)
	return out
}

// sitemapWorldArchive is what a full backfill of sitemapWorld's three
// sources stores: every listed URL once, copies folded across the feeds
// and the sitemap.
var sitemapWorldArchive = []string{
	"copies/copy/2 via copies/feed.xml + news/a/2 via news/sitemap_index.xml",
	"copies/copy/5 via copies/feed.xml + news/a/5 via news/sitemap_index.xml",
	"news/a/1 via news/feed.xml + news/a/1 via news/sitemap_index.xml",
	"news/a/3 via news/sitemap_index.xml",
	"news/a/4 via news/feed.xml + news/a/4 via news/sitemap_index.xml",
	"news/a/6 via news/sitemap_index.xml",
	"news/a/7 via news/sitemap_index.xml",
	"news/a/8 via news/sitemap_index.xml",
}

// sitemapWorldSources are sitemapWorld's feeds-file lines.
func sitemapWorldSources(news, copies *newsSite) []string {
	return []string{news.URL + "/sitemap_index.xml", news.URL + "/feed.xml", copies.URL + "/feed.xml"}
}

func TestBackfillOfASitemapIndexStoresEveryURLOnceAndFoldsCopies(t *testing.T) {
	news, copies := sitemapWorld(t)
	w := newWorkspace(t, sitemapWorldSources(news, copies)...)
	rcv := newHookReceiver()
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	w.mustRun(t, "backfill", "-progress", "log", "-webhook", hook.URL, "-webhook-secret", hookSecret)
	got := sitemapSummary(t, w, news, copies)
	// The webhook heard of every article and every folded copy.
	rcv.mu.Lock()
	for _, a := range w.export(t) {
		if !rcv.created[a.ID] {
			t.Errorf("no article.created for %s", a.URL)
		}
		for _, src := range a.Sources[1:] {
			if !rcv.sightings[sightingKey(a.ID, src.URL, src.FeedURL)] {
				t.Errorf("no article.sighted for %s via %s", src.URL, src.FeedURL)
			}
		}
	}
	rcv.mu.Unlock()
	want := sitemapWorldArchive
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("archive after backfill:\nwant\n%s\ngot\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	if n := news.hits("/private/draft"); n != 0 {
		t.Errorf("a URL robots.txt disallows was fetched %d times", n)
	}
	if n := copies.hits("/copy/3"); n != 0 {
		t.Errorf("a URL the sitemap lists on another host was fetched %d times", n)
	}
	if n := news.hits("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times; want once (cached)", n)
	}
	// A second backfill stores nothing new and fetches no page again.
	pages := news.hits("/a/3")
	w.mustRun(t, "backfill", "-progress", "log")
	if again := sitemapSummary(t, w, news, copies); strings.Join(again, "\n") != strings.Join(got, "\n") {
		t.Errorf("second backfill changed the archive:\n%s", strings.Join(again, "\n"))
	}
	if news.hits("/a/3") != pages {
		t.Errorf("second backfill fetched a stored page again")
	}
}

func TestSitemapBackfillHonoursSinceAndTitlesFromNews(t *testing.T) {
	news, copies := sitemapWorld(t)
	w := newWorkspace(t, news.URL+"/sitemap_index.xml")
	w.mustRun(t, "backfill", "-progress", "log", "-since", "2026-04-10")
	got := sitemapSummary(t, w, news, copies)
	want := []string{ // 6 (April 2) and the March child are before -since
		"news/a/1 via news/sitemap_index.xml",
		"news/a/2 via news/sitemap_index.xml",
		"news/a/3 via news/sitemap_index.xml",
		"news/a/4 via news/sitemap_index.xml",
		"news/a/5 via news/sitemap_index.xml",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("backfill -since 2026-04-10:\nwant\n%s\ngot\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	if n := news.hits("/sitemap-2026-03.xml"); n != 0 {
		t.Errorf("the March sitemap (last changed before -since) was read %d times", n)
	}
	// The page says "Archive item N", no date and no language: a news: entry's
	// title, date and language win; a plain entry's title is the page's, and
	// its lastmod dates it only because the page does not.
	for _, a := range w.export(t) {
		switch {
		case strings.HasSuffix(a.URL, "/a/1"):
			if a.Sources[0].Title != "Harbour strike ends" || a.Title != "Harbour strike ends" || a.Language != "en" ||
				a.Published == nil || !a.Published.Equal(time.Date(2026, 5, 3, 7, 0, 0, 0, time.UTC)) {
				t.Errorf("story 1: want the news: title, language and date, got source title %q, title %q, language %q, published %v",
					a.Sources[0].Title, a.Title, a.Language, a.Published)
			}
		case strings.HasSuffix(a.URL, "/a/4"):
			if a.Title != "Archive item 1004" || a.Published == nil || a.Published.Format("2006-01-02") != "2026-04-20" {
				t.Errorf("story 4 (plain entry): want the page's title and the lastmod date, got %q, %v", a.Title, a.Published)
			}
		}
	}
}

func TestPollOfASitemapIndexReadsTheNewestChildOnly(t *testing.T) {
	news, copies := sitemapWorld(t)
	w := newWorkspace(t, news.URL+"/sitemap_index.xml")
	w.mustRun(t, "poll")
	got := sitemapSummary(t, w, news, copies)
	if len(got) != 3 || news.hits("/sitemap-2026-04.xml")+news.hits("/sitemap-2026-03.xml") != 0 {
		t.Errorf("first poll: want the 3 stories of the newest child and no older child read, got %v (April read %d, March %d)",
			got, news.hits("/sitemap-2026-04.xml"), news.hits("/sitemap-2026-03.xml"))
	}
	out := w.mustRun(t, "feeds")
	if !strings.Contains(out, news.URL+"/sitemap_index.xml") {
		t.Errorf("feeds list: want the sitemap source listed, got\n%s", out)
	}
}

func TestRobotsOffFetchesWhatRobotsDisallows(t *testing.T) {
	news, copies := sitemapWorld(t)
	w := newWorkspace(t, news.URL+"/sitemap_index.xml")
	w.mustRun(t, "poll", "-robots-off", "127.0.0.1")
	if n := news.hits("/private/draft"); n != 1 {
		t.Errorf("-robots-off: want the disallowed page fetched once, got %d", n)
	}
	if n := news.hits("/robots.txt"); n != 0 {
		t.Errorf("-robots-off: want robots.txt not asked, got %d requests", n)
	}
	if got := sitemapSummary(t, w, news, copies); len(got) != 4 {
		t.Errorf("-robots-off: want 4 stories, got %v", got)
	}
}

func TestGzipNewsSitemapIsASourceOfItsOwn(t *testing.T) {
	news, copies := sitemapWorld(t)
	w := newWorkspace(t, news.URL+"/sitemap-news.xml.gz")
	w.mustRun(t, "poll")
	got := sitemapSummary(t, w, news, copies)
	want := []string{
		"news/a/1 via news/sitemap-news.xml.gz",
		"news/a/2 via news/sitemap-news.xml.gz",
		"news/a/3 via news/sitemap-news.xml.gz",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("poll of a gzip news sitemap:\nwant\n%s\ngot\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	for _, a := range w.export(t) {
		if a.FeedURL != news.URL+"/sitemap-news.xml.gz" {
			t.Errorf("export feed_url of %s: want the sitemap's URL, got %s", a.URL, a.FeedURL)
		}
	}
}

func TestFeedsDiscoverListsFeedsAndSitemaps(t *testing.T) {
	news, _ := sitemapWorld(t)
	news.text("/", "text/html; charset=utf-8", `<!doctype html><html><head><title>Harbour Times</title>
<link rel="alternate" type="application/rss+xml" title="News" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" title="Comments" href="/comments.xml">
</head><body><p>Home</p></body></html>`)
	w := newWorkspace(t)
	code, out, errOut := cliRun(t, "feeds", "discover", news.URL+"/", "-db", w.db, "-feeds", w.feeds, "-allow-net", "127.0.0.1/32")
	if code != 0 {
		t.Fatalf("feeds discover exited %d: %s", code, errOut)
	}
	var urls []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		u, _, _ := strings.Cut(line, "  #")
		urls = append(urls, strings.TrimPrefix(u, news.URL))
	}
	want := "/feed.xml /comments.xml /sitemap_index.xml"
	if strings.Join(urls, " ") != want {
		t.Errorf("feeds discover: want %s, got\n%s", want, out)
	}
	// Each line is a feeds-file line: adding the sitemap one works as is.
	line := strings.Split(strings.TrimSpace(out), "\n")[2]
	if code, _, errOut := cliRun(t, append([]string{"feeds", "add", "-db", w.db, "-feeds", w.feeds}, strings.Fields(strings.Split(line, "#")[0])...)...); code != 0 {
		t.Errorf("feeds add of a discovered sitemap: exit %d: %s", code, errOut)
	}
}

func TestSitemapFromOPMLAndFeedsAddIsPolled(t *testing.T) {
	news, copies := sitemapWorld(t)
	w := newWorkspace(t)
	opml := filepath.Join(t.TempDir(), "list.opml")
	body := `<?xml version="1.0"?><opml version="2.0"><body><outline text="News" xmlUrl="` + news.URL + `/sitemap-news.xml.gz"/></body></opml>`
	if err := os.WriteFile(opml, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	w.mustRun(t, "opml", "import", opml)
	w.mustRun(t, "feeds", "add", copies.URL+"/feed.xml")
	w.mustRun(t, "poll")
	want := []string{
		"copies/copy/2 via copies/feed.xml + news/a/2 via news/sitemap-news.xml.gz",
		"copies/copy/5 via copies/feed.xml",
		"news/a/1 via news/sitemap-news.xml.gz",
		"news/a/3 via news/sitemap-news.xml.gz",
	}
	if got := sitemapSummary(t, w, news, copies); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("poll of an OPML-imported sitemap and an added feed:\nwant\n%s\ngot\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
}
