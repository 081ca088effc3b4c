package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/netguard"
)

// archiveNewest is the publication time of item 0; item i is i hours older.
var archiveNewest = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// archiveSite serves a feed of items newest first, perPage a page, in one of
// the paging styles, and one article page per item.
type archiveSite struct {
	// style: "next", "prev-archive", "paged", "none", or a server that does
	// not page by ?paged: "ignores-paged", "rejects-paged", "html-for-paged".
	style   string
	items   int
	perPage int
	base    string
	newest  time.Time // item 0's date; item i is i hours older
	// generator names WordPress as the feed's generator.
	generator bool
	// failPage, when set, answers that page with a server error.
	failPage int
	// emptyAfter, when set, serves pages past the last as empty feeds
	// instead of 404s.
	emptyAfter bool
	feedHits   atomic.Int32
}

func (a *archiveSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/a/"); ok {
		n, _ := strconv.Atoi(id)
		fmt.Fprint(w, uniqueArticle(n))
		return
	}
	a.feedHits.Add(1)
	page := 1
	if v := r.URL.Query().Get("paged") + r.URL.Query().Get("page"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	switch {
	case page == a.failPage:
		http.Error(w, "database on fire", http.StatusInternalServerError)
		return
	case a.style == "ignores-paged":
		page = 1
	case a.style == "rejects-paged" && page > 1:
		http.Error(w, "unknown parameter", http.StatusBadRequest)
		return
	case a.style == "html-for-paged" && page > 1:
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><html><body><h1>Blog, page 2</h1></body></html>")
		return
	}
	last := (a.items + a.perPage - 1) / a.perPage
	if page > last && !a.emptyAfter {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, a.render(page, last))
}

func (a *archiveSite) render(page, last int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Archive</title>`)
	if a.generator {
		b.WriteString(`<generator>https://wordpress.org/?v=6.5.2</generator>`)
	}
	if page < last {
		switch a.style {
		case "next":
			fmt.Fprintf(&b, `<atom:link rel="next" href="%s/news.xml?page=%d"/>`, a.base, page+1)
		case "prev-archive":
			fmt.Fprintf(&b, `<atom:link rel="prev-archive" href="/news.xml?page=%d"/>`, page+1)
		}
	}
	for i := (page - 1) * a.perPage; i < min(page*a.perPage, a.items); i++ {
		fmt.Fprintf(&b, `<item><title>Item %d</title><link>%s/a/%d</link><guid>%s/a/%d</guid><pubDate>%s</pubDate></item>`,
			i, a.base, i, a.base, i, a.newest.Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// uniqueArticle is an article page whose text shares no run of words with
// any other item's, so that dedup keeps every item apart.
func uniqueArticle(n int) string {
	r := rand.New(rand.NewPCG(uint64(n), 99))
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><title>Item %d</title></head><body><article><h1>Item %d</h1>", n, n)
	for p := 0; p < 4; p++ {
		b.WriteString("<p>")
		for w := 0; w < 30; w++ {
			fmt.Fprintf(&b, "%s ", vocabulary[r.IntN(len(vocabulary))])
		}
		b.WriteString("end.</p>")
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

var vocabulary = strings.Fields(`minister harbour council budget river station
	festival vaccine railway election drought court verdict orchestra glacier
	union strike tariff satellite museum bridge flood senator wildfire harvest
	reactor treaty refinery stadium lawsuit airline pension curfew ferry mayor
	volcano embassy theatre bakery census pipeline merger protest island quarry`)

// historyPipeline is a pipeline over h's store whose log lines and item
// events the test can read.
func historyPipeline(t *testing.T, h *harness, events Events) (*Pipeline, *syncBuffer) {
	t.Helper()
	allow, err := netguard.ParseAllowlist(strings.TrimPrefix(h.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	p := New(Config{
		Store: h.st, Fetcher: fetch.New(fetch.Config{Allow: allow, Timeout: 5 * time.Second, PerHostGap: -1}),
		Concurrency: 4, Events: events, Now: h.clock.Now, Rand: rand.New(rand.NewPCG(1, 2)),
		Logger: slog.New(slog.NewJSONHandler(logs, nil)),
	})
	return p, logs
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// walks returns the "feed history walked" log lines.
func (s *syncBuffer) walks(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, line)
		}
		if strings.HasPrefix(fmt.Sprint(m["msg"]), "feed history walk") {
			out = append(out, m)
		}
	}
	return out
}

func TestBackfillWalksHistoryUntilItStops(t *testing.T) {
	tests := []struct {
		name      string
		site      *archiveSite
		path      string
		history   History
		wantItems int
		wantStop  string
		wantPages int // feed documents requested
		firstPoll time.Duration
		wantLevel string // of the walk's log line; "" is INFO
	}{
		{name: "rfc5005 next links to the end", site: &archiveSite{style: "next", items: 45, perPage: 10},
			path: "/news.xml", wantItems: 45, wantStop: stopEnd, wantPages: 5},
		{name: "rfc5005 prev-archive, relative links", site: &archiveSite{style: "prev-archive", items: 30, perPage: 10},
			path: "/news.xml", wantItems: 30, wantStop: stopEnd, wantPages: 3},
		{name: "wordpress feed path, paged until 404", site: &archiveSite{style: "paged", items: 25, perPage: 10},
			path: "/feed/", wantItems: 25, wantStop: stopNotFound, wantPages: 4},
		{name: "wordpress generator, short pages", site: &archiveSite{style: "paged", items: 15, perPage: 7, generator: true},
			path: "/rss.xml", wantItems: 15, wantStop: stopNotFound, wantPages: 4},
		{name: "paged until an empty page", site: &archiveSite{style: "paged", items: 20, perPage: 10, emptyAfter: true},
			path: "/feed/", wantItems: 20, wantStop: stopEmpty, wantPages: 3},
		{name: "server ignoring paged repeats page one", site: &archiveSite{style: "ignores-paged", items: 40, perPage: 10},
			path: "/feed/", wantItems: 10, wantStop: stopRepeat, wantPages: 2},
		{name: "full page on a non-wordpress URL is tried", site: &archiveSite{style: "paged", items: 30, perPage: 10},
			path: "/rss.xml", wantItems: 30, wantStop: stopNotFound, wantPages: 4},
		{name: "server rejecting ?paged ends the walk quietly", site: &archiveSite{style: "rejects-paged", items: 10, perPage: 10},
			path: "/rss.xml", wantItems: 10, wantStop: stopNotFound, wantPages: 2},
		{name: "web page for ?paged ends the walk quietly", site: &archiveSite{style: "html-for-paged", items: 10, perPage: 10},
			path: "/rss.xml", wantItems: 10, wantStop: stopNotFound, wantPages: 2},
		{name: "a failing page stops the walk with a warning", site: &archiveSite{style: "next", items: 30, perPage: 10, failPage: 2},
			path: "/news.xml", wantItems: 10, wantStop: stopError, wantPages: 2, wantLevel: "WARN"},
		{name: "short plain feed offers no history", site: &archiveSite{style: "none", items: 7, perPage: 7},
			path: "/rss.xml", wantItems: 7, wantStop: stopNoHistory, wantPages: 1},
		{name: "max pages counts the current page", site: &archiveSite{style: "next", items: 100, perPage: 10},
			path: "/news.xml", history: History{MaxPages: 3}, wantItems: 30, wantStop: stopMaxPages, wantPages: 3},
		{name: "since skips older items and stops at an all-older page", site: &archiveSite{style: "next", items: 100, perPage: 10},
			path: "/news.xml", history: History{Since: archiveNewest.Add(-24 * time.Hour)}, wantItems: 25, wantStop: stopSince, wantPages: 4},
		{name: "first-poll-max-age bounds the walk like since", site: &archiveSite{style: "paged", items: 100, perPage: 10},
			path: "/feed/", firstPoll: 13*time.Hour + 30*time.Minute, wantItems: 14, wantStop: stopSince, wantPages: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			site := tc.site
			h := newHarness(t, site)
			h.clock.now = archiveNewest
			site.base, site.newest = h.srv.URL, archiveNewest
			p, logs := historyPipeline(t, h, nil)
			p.cfg.FirstPollMaxAge = tc.firstPoll
			h.addFeed(tc.path)
			sum, err := p.Backfill(context.Background(), nil, "", tc.history)
			if err != nil {
				t.Fatalf("Backfill: %v", err)
			}
			if sum.NewArticles != tc.wantItems || len(h.articles()) != tc.wantItems {
				t.Errorf("stored %d articles (summary says %d), want %d", len(h.articles()), sum.NewArticles, tc.wantItems)
			}
			if got := int(site.feedHits.Load()); got != tc.wantPages {
				t.Errorf("feed documents requested: %d, want %d", got, tc.wantPages)
			}
			walks := logs.walks(t)
			level := cmp.Or(tc.wantLevel, "INFO")
			if len(walks) != 1 || walks[0]["stop"] != tc.wantStop || walks[0]["level"] != level {
				t.Errorf("history walk log: want one %s line with stop %q, got %v", level, tc.wantStop, walks)
			}
		})
	}
}

// Cancelling a backfill part-way and running it again stores every item
// exactly once.
func TestInterruptedBackfillRerunStoresEachItemOnce(t *testing.T) {
	site := &archiveSite{style: "next", items: 60, perPage: 10, newest: archiveNewest}
	h := newHarness(t, site)
	site.base = h.srv.URL
	h.addFeed("/news.xml")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stored atomic.Int32
	p, _ := historyPipeline(t, h, cancelAfter{n: 25, done: &stored, cancel: cancel})
	if _, err := p.Backfill(ctx, ctx.Done(), "", History{}); err == nil {
		t.Fatal("interrupted Backfill returned no error, want context.Canceled")
	}
	first := len(h.articles())
	if first < 25 || first >= 60 {
		t.Fatalf("interrupted backfill stored %d articles, want at least 25 and fewer than 60", first)
	}

	p2, _ := historyPipeline(t, h, nil)
	if _, err := p2.Backfill(context.Background(), nil, "", History{}); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	arts := h.articles()
	urls := map[string]int{}
	sources := 0
	for _, a := range arts {
		urls[a.URL]++
		sources += len(a.Sources)
	}
	if len(arts) != 60 || len(urls) != 60 || sources != 60 {
		t.Errorf("after rerun: %d articles, %d distinct URLs, %d sources; want 60 of each (first run stored %d)",
			len(arts), len(urls), sources, first)
	}
}

// cancelAfter cancels the backfill once n items were stored.
type cancelAfter struct {
	n      int32
	done   *atomic.Int32
	cancel context.CancelFunc
}

func (c cancelAfter) FeedDone(FeedReport) {}

func (c cancelAfter) ItemDone(r ItemReport) {
	if r.Reason != "" && c.done.Add(1) == c.n {
		c.cancel()
	}
}

// datedFeed serves one RSS feed of items with fixed links and dates, and an
// article page for each.
type datedFeed struct {
	mu    sync.Mutex
	base  string
	dates map[int]time.Time // item id → published
}

func (d *datedFeed) set(id int, published time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dates[id] = published
}

func (d *datedFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/a/"); ok {
		n, _ := strconv.Atoi(id)
		fmt.Fprint(w, uniqueArticle(n))
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Dated</title>`)
	for id, pub := range d.dates {
		fmt.Fprintf(w, `<item><title>Item %d</title><link>%s/a/%d</link><pubDate>%s</pubDate></item>`,
			id, d.base, id, pub.Format(time.RFC1123Z))
	}
	fmt.Fprint(w, `</channel></rss>`)
}

func TestFirstPollMaxAgeKeepsSkippingTheBackCatalogue(t *testing.T) {
	// A feed is due from the store's own clock when added: run at real time.
	now := time.Now().Truncate(time.Second).Add(time.Minute)
	site := &datedFeed{dates: map[int]time.Time{}}
	for i := range 8 {
		site.set(i, now.Add(-time.Duration(i)*24*time.Hour)) // one a day, back a week
	}
	h := newHarness(t, site)
	site.base = h.srv.URL
	h.clock.now = now
	p, _ := historyPipeline(t, h, nil)
	p.cfg.FirstPollMaxAge = 60 * time.Hour
	h.addFeed("/rss.xml")
	if s, err := p.PollDue(context.Background(), nil); err != nil || s.NewArticles != 3 {
		t.Fatalf("first poll: %d new articles, err %v; want 3 (items 0-2, under 60h old)", s.NewArticles, err)
	}
	// Two days on, the feed holds a new item and the same old ones: the new
	// one is taken, the back catalogue is still skipped.
	h.clock.Advance(48 * time.Hour)
	site.set(100, now.Add(47*time.Hour))
	if s, err := p.PollDue(context.Background(), nil); err != nil || s.NewArticles != 1 {
		t.Errorf("second poll: %d new articles, err %v; want 1 (only the item published since)", s.NewArticles, err)
	}
	// Without the limit every item is taken on the first poll.
	h2 := newHarness(t, site)
	h2.clock.now = now
	h2.addFeed("/rss.xml")
	p2, _ := historyPipeline(t, h2, nil)
	if s, err := p2.PollDue(context.Background(), nil); err != nil || s.NewArticles != 9 {
		t.Errorf("first poll without -first-poll-max-age: %d new articles, err %v; want all 9", s.NewArticles, err)
	}
}

func TestNextPageURL(t *testing.T) {
	doc := &feed.Feed{NextURL: "http://x.test/f?page=2", PrevArchiveURL: "http://x.test/archive/1"}
	tests := []struct {
		name, style, feedURL string
		doc                  *feed.Feed
		n                    int
		want                 string
	}{
		{"next wins over prev-archive", pagingLinks, "http://x.test/f", doc, 2, "http://x.test/f?page=2"},
		{"prev-archive alone", pagingLinks, "http://x.test/f", &feed.Feed{PrevArchiveURL: "http://x.test/archive/1"}, 2, "http://x.test/archive/1"},
		{"links style without links", pagingLinks, "http://x.test/f", &feed.Feed{}, 2, ""},
		{"paged added", pagingQuery, "http://x.test/feed/", &feed.Feed{}, 2, "http://x.test/feed/?paged=2"},
		{"paged replaced, other query kept", pagingQuery, "http://x.test/?feed=rss2&paged=3", &feed.Feed{}, 4, "http://x.test/?feed=rss2&paged=4"},
		{"no style", pagingNone, "http://x.test/f", doc, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextPageURL(tc.style, tc.doc, tc.feedURL, tc.n); got != tc.want {
				t.Errorf("nextPageURL = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLooksLikeWordPress(t *testing.T) {
	tests := []struct {
		name, url, body string
		want            bool
	}{
		{"rss generator", "http://x.test/rss.xml", `<rss><channel><generator>https://wordpress.org/?v=6.4.1</generator>`, true},
		{"atom generator", "http://x.test/atom.xml", `<feed><generator uri="https://wordpress.org/" version="6.4">WordPress</generator>`, true},
		{"feed path segment", "http://x.test/category/world/feed/", `<rss><channel>`, true},
		{"feed query", "http://x.test/?feed=rss2", `<rss><channel>`, true},
		{"other generator", "http://x.test/rss.xml", `<rss><channel><generator>Hugo 0.120</generator><item><description>wordpress tips</description>`, false},
		{"feed only inside a word", "http://x.test/feeds/newsfeed.xml", `<rss><channel>`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := looksLikeWordPress(tc.url, []byte(tc.body)); got != tc.want {
				t.Errorf("looksLikeWordPress(%s) = %v, want %v", tc.url, got, tc.want)
			}
		})
	}
}

func TestAllBefore(t *testing.T) {
	at := func(h int) feed.Item {
		t := archiveNewest.Add(time.Duration(h) * time.Hour)
		return feed.Item{Published: &t}
	}
	cut := archiveNewest
	tests := []struct {
		name   string
		items  []feed.Item
		cutoff time.Time
		want   bool
	}{
		{"all older", []feed.Item{at(-1), at(-5)}, cut, true},
		{"one at the cutoff", []feed.Item{at(0), at(-5)}, cut, false},
		{"undated items ignored", []feed.Item{{}, at(-2)}, cut, true},
		{"no dated item", []feed.Item{{}, {}}, cut, false},
		{"no cutoff", []feed.Item{at(-1)}, time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := allBefore(tc.items, tc.cutoff); got != tc.want {
				t.Errorf("allBefore = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPageSignatureIgnoresOrder(t *testing.T) {
	a, b, c := feed.Item{GUID: "a"}, feed.Item{GUID: "b"}, feed.Item{GUID: "c"}
	if pageSignature(policy.IdentityGUID, []feed.Item{a, b}) != pageSignature(policy.IdentityGUID, []feed.Item{b, a}) {
		t.Error("the same items in another order: want the same signature")
	}
	if pageSignature(policy.IdentityGUID, []feed.Item{a, b}) == pageSignature(policy.IdentityGUID, []feed.Item{a, c}) {
		t.Error("different items: want different signatures")
	}
}

func TestFullPage(t *testing.T) {
	for n, want := range map[int]bool{0: false, 5: false, 7: false, 10: true, 12: false, 20: true, 25: true, 50: true} {
		if got := fullPage(n); got != want {
			t.Errorf("fullPage(%d) = %v, want %v", n, got, want)
		}
	}
}
