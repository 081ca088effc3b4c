package status

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/wiresift/wiresift/worker/store"
)

// fetchPage GETs / over real HTTP and parses the HTML.
func fetchPage(t *testing.T, h http.Handler) *html.Node {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET / = %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q, want text/html", ct)
	}
	doc, err := html.Parse(resp.Body)
	if err != nil {
		t.Fatalf("status page does not parse as HTML: %v", err)
	}
	return doc
}

// tableRows returns the text of each body cell of the table with this id;
// nil when there is no such table.
func tableRows(doc *html.Node, id string) [][]string {
	table := find(doc, func(n *html.Node) bool { return n.Data == "table" && attr(n, "id") == id })
	if table == nil {
		return nil
	}
	rows := [][]string{}
	for tbody := range table.Descendants() {
		if tbody.Type != html.ElementNode || tbody.Data != "tbody" {
			continue
		}
		for tr := range tbody.ChildNodes() {
			if tr.Type != html.ElementNode || tr.Data != "tr" {
				continue
			}
			var cells []string
			for td := range tr.ChildNodes() {
				if td.Type == html.ElementNode && td.Data == "td" {
					cells = append(cells, strings.Join(strings.Fields(text(td)), " "))
				}
			}
			rows = append(rows, cells)
		}
	}
	return rows
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			return d
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
			b.WriteString(" ")
		}
	}
	return b.String()
}

func pageFixture() *fakeStore {
	polled := time.Date(2026, 3, 1, 7, 50, 0, 0, time.UTC)
	wire := store.Article{ID: 1, URL: "https://a.example/story", Title: "Ministers agree grid deal", SiteName: "A Wire",
		FirstSeen: polled, Sources: []store.Source{
			{URL: "https://a.example/story", FeedURL: "https://a.example/rss"},
			{URL: "https://b.example/world/story", FeedURL: "https://b.example/feed"},
			{URL: "https://c.example/s/1", FeedURL: "https://c.example/atom"},
			{URL: "https://c.example/business/s/1", FeedURL: "https://c.example/business/atom"},
		}}
	local := store.Article{ID: 2, URL: "https://b.example/local", Title: "Library opens late <on Fridays>",
		FirstSeen: polled.Add(time.Minute), Sources: []store.Source{{URL: "https://b.example/local", FeedURL: "https://b.example/feed"}}}
	return &fakeStore{
		feeds: []store.Feed{
			{FeedConfig: store.FeedConfig{URL: "https://a.example/rss", Name: "A News"}, State: store.FeedActive, LastPollAt: polled, LastStatus: 200, Articles: 1},
			{FeedConfig: store.FeedConfig{URL: "https://b.example/feed"}, State: store.FeedActive, LastPollAt: polled, LastStatus: 200, Articles: 2},
			{FeedConfig: store.FeedConfig{URL: "https://gone.example/rss"}, State: store.FeedGone, LastStatus: 410, LastError: "410 Gone", ConsecutiveErrors: 1},
			{FeedConfig: store.FeedConfig{URL: "https://c.example/atom"}, State: store.FeedActive, LastStatus: 500, LastError: "HTTP 500", ConsecutiveErrors: 3},
		},
		latest: []store.Article{local, wire},
		top:    []store.Article{wire, local},
	}
}

func TestStatusPageListsFeedsArticlesAndSyndication(t *testing.T) {
	doc := fetchPage(t, New(Config{Store: pageFixture(), Version: "v-test"}))

	feeds := tableRows(doc, "feeds")
	if len(feeds) != 4 {
		t.Fatalf("feeds table has %d rows, want 4: %q", len(feeds), feeds)
	}
	// Feeds that need a look come first: the gone one and the failing one.
	for i, want := range []struct{ url, state, err string }{
		{"https://c.example/atom", "active", "HTTP 500"},
		{"https://gone.example/rss", "gone", "410 Gone"},
		{"https://a.example/rss", "active", ""},
		{"https://b.example/feed", "active", ""},
	} {
		row := feeds[i]
		if !strings.Contains(row[0], want.url) || row[1] != want.state || row[4] != want.err {
			t.Errorf("feeds row %d = %q, want URL %s, state %q, last error %q", i, row, want.url, want.state, want.err)
		}
	}
	if !strings.Contains(feeds[2][0], "A News") {
		t.Errorf("feed row %q lacks the feed's name", feeds[2])
	}

	latest := tableRows(doc, "latest")
	if len(latest) != 2 || latest[0][0] != "Library opens late <on Fridays>" {
		t.Fatalf("latest articles = %q, want the library story (title escaped, not markup) first of 2", latest)
	}
	if latest[0][1] != "b.example" || latest[1][1] != "A Wire" {
		t.Errorf("latest site column = %q, %q; want the host b.example where no site name is known, else the name A Wire", latest[0][1], latest[1][1])
	}

	top := tableRows(doc, "syndicated")
	if len(top) != 2 {
		t.Fatalf("most-syndicated table has %d rows, want 2: %q", len(top), top)
	}
	if top[0][0] != "Ministers agree grid deal" || top[0][1] != "3" {
		t.Errorf("top syndicated row = %q, want the grid story seen on 3 sites (4 feeds, 3 hosts)", top[0])
	}
	if top[1][1] != "1" {
		t.Errorf("second syndicated row = %q, want 1 site", top[1])
	}
	if s := find(doc, func(n *html.Node) bool { return n.Data == "script" }); s != nil {
		t.Error("status page has a <script> element; it must work without JavaScript")
	}
}

func TestStatusPageFailsWholeWhenFeedsCannotBeRead(t *testing.T) {
	code, body := get(t, New(Config{Store: &fakeStore{err: errors.New("sqlite: database is locked")}}), "/")
	if code != 503 || strings.Contains(body, "<table") {
		t.Errorf("GET / with a failing store = %d %.80q, want 503 and no half page", code, body)
	}
}

func TestStatusPageShowsArticleListingErrors(t *testing.T) {
	st := pageFixture()
	st.listErr = errors.New("sqlite: interrupted")
	doc := fetchPage(t, New(Config{Store: st}))
	if !strings.Contains(text(doc), "sqlite: interrupted") {
		t.Error("page does not say why the article sections are missing")
	}
	if rows := tableRows(doc, "feeds"); len(rows) != 4 {
		t.Errorf("feeds table has %d rows, want 4 despite the listing error", len(rows))
	}
}

// TestStatusPageSummarisesFailingAndOverdueFeeds: the line at the top says
// how many polled feeds fail and how many are overdue, an overdue feed is
// marked and listed first, and every cell carries its label for the
// narrow-screen layout.
func TestStatusPageSummarisesFailingAndOverdueFeeds(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	fx := pageFixture()
	fx.feeds[0].NextPollAt = now.Add(-OverdueAfter - time.Minute) // overdue
	fx.feeds[1].NextPollAt = now.Add(-time.Minute)                // due, not yet overdue
	h := New(Config{Store: fx, Now: func() time.Time { return now }})
	doc := fetchPage(t, h)
	sum := find(doc, func(n *html.Node) bool { return attr(n, "id") == "summary" })
	if sum == nil {
		t.Fatal("no summary line")
	}
	got := strings.NewReplacer("( ", "(", " ,", ",", " )", ")").Replace(strings.Join(strings.Fields(text(sum)), " "))
	if want := "feeds: 3 polled (1 failing, 1 overdue), 1 gone"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	rows := tableRows(doc, "feeds")
	if !strings.Contains(rows[0][0], "https://a.example/rss") || !strings.Contains(rows[0][6], "(overdue)") {
		t.Errorf("want the overdue feed among those needing a look, marked overdue; rows %q", rows)
	}
	for _, r := range rows {
		if strings.Contains(r[0], "b.example") && strings.Contains(r[6], "overdue") {
			t.Errorf("a feed one minute past due is marked overdue: %q", r)
		}
	}
	var unlabelled int
	find(doc, func(n *html.Node) bool {
		if n.Data == "td" && attr(n, "class") != "url" && attr(n, "data-label") == "" && attr(n, "colspan") == "" {
			if p := n.Parent; p != nil && p.Parent != nil && attr(p.Parent.Parent, "id") == "feeds" {
				unlabelled++
			}
		}
		return false
	})
	if unlabelled > 0 {
		t.Errorf("%d feed cells without a data-label for the phone layout", unlabelled)
	}
}

// TestHealthzFailsWhileClaimsFail: the loop beats, but the database
// refuses every claim: /healthz and the status page say so, and recover
// with the first claim that works.
func TestHealthzFailsWhileClaimsFail(t *testing.T) {
	health := NewHealth(nil, 0)
	h := New(Config{Store: pageFixture(), Health: health})
	health.Beat()
	health.ClaimDone(errors.New("claim due feeds: disk I/O error"))
	code, body := get(t, h, "/healthz")
	if code != 503 || !strings.Contains(body, "cannot claim feeds") || !strings.Contains(body, "disk I/O error") {
		t.Errorf("GET /healthz while claims fail = %d %q, want 503 saying claims fail", code, body)
	}
	doc := fetchPage(t, h)
	if hl := find(doc, func(n *html.Node) bool { return attr(n, "id") == "health" }); hl == nil || !strings.Contains(text(hl), "cannot claim feeds") {
		t.Errorf("status page health does not say claims fail")
	}
	health.ClaimDone(nil)
	if code, body := get(t, h, "/healthz"); code != 200 {
		t.Errorf("GET /healthz after a claim worked = %d %q, want 200", code, body)
	}
}
