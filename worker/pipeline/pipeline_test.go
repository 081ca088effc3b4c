package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/netguard"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/sqlite"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// harness is a pipeline over a fresh SQLite store and a loopback server.
type harness struct {
	t     *testing.T
	st    *sqlite.Store
	p     *Pipeline
	clock *clock
	srv   *httptest.Server
}

type harnessOption func(*fetch.Config)

func newHarness(t *testing.T, handler http.Handler, opts ...harnessOption) *harness {
	t.Helper()
	schema, err := os.ReadFile("../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"), string(schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	allow, err := netguard.ParseAllowlist(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := fetch.Config{Allow: allow, Timeout: 5 * time.Second, PerHostGap: -1}
	for _, o := range opts {
		o(&cfg)
	}
	c := &clock{now: time.Now().Add(time.Second)} // the store stamps new feeds due at its own now
	p := New(Config{
		Store: st, Fetcher: fetch.New(cfg), Concurrency: 4, KeepRaw: true,
		Now: c.Now, Rand: rand.New(rand.NewPCG(1, 2)),
	})
	return &harness{t: t, st: st, p: p, clock: c, srv: srv}
}

func (h *harness) addFeed(path string) string {
	h.t.Helper()
	u := h.srv.URL + path
	if err := h.st.AddFeed(context.Background(), store.FeedConfig{URL: u}); err != nil {
		h.t.Fatal(err)
	}
	return u
}

func (h *harness) poll() Summary {
	h.t.Helper()
	sum, err := h.p.PollDue(context.Background(), nil)
	if err != nil {
		h.t.Fatalf("PollDue: %v", err)
	}
	return sum
}

func (h *harness) feed(url string) store.Feed {
	h.t.Helper()
	feeds, err := h.st.Feeds(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	for _, f := range feeds {
		if f.URL == url {
			return f
		}
	}
	h.t.Fatalf("feed %s not in store", url)
	return store.Feed{}
}

// storeRawPage stores an article with a placeholder text and raw as its
// kept page, as an earlier ingest would have, for reprocess to read.
func (h *harness) storeRawPage(f store.Feed, key string, raw []byte) {
	h.t.Helper()
	sg := store.Sighting{FeedID: f.ID, FeedURL: f.URL, ItemKey: key, ItemURL: key, SeenAt: time.Now(),
		Article: store.ArticleData{URL: key, CanonicalURL: key, Text: "stored text " + key, TextSource: store.TextFromPage, RawHTML: raw}}
	sg.Print = dedup.Make(sg.Article.Text)
	if _, err := h.st.Ingest(context.Background(), sg); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) articles() []store.Article {
	h.t.Helper()
	var out []store.Article
	err := h.st.Export(context.Background(), store.ExportFilter{}, func(a store.Article) error {
		out = append(out, a)
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

const articleHTML = `<!doctype html><html><head><title>%[1]s</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>%[1]s</h1>
<p>%[2]s opened the session with a statement that ran to several paragraphs and named every party to the talks.</p>
<p>Officials said the negotiations would continue next week in the capital, with a second round planned for the autumn.</p>
<p>Observers noted that the agreement, if reached, would be the first of its kind in more than a decade of attempts.</p>
</article><footer>Copyright 2024 Example</footer></body></html>`

func rssOf(base string, links ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	for i, l := range links {
		fmt.Fprintf(&b, `<item><title>Story %d</title><link>%s</link><guid>%s</guid><pubDate>Fri, 10 May 2024 0%d:00:00 GMT</pubDate></item>`, i, l, l, i)
	}
	b.WriteString(`</channel></rss>`)
	return strings.ReplaceAll(b.String(), "{{base}}", base)
}

func TestPollSendsValidatorsAndSkipsParseOn304(t *testing.T) {
	var requests, conditional atomic.Int32
	var base string
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			requests.Add(1)
			if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") != "" {
				conditional.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Fri, 10 May 2024 09:00:00 GMT")
			fmt.Fprint(w, rssOf(base, base+"/a"))
		case "/a":
			fmt.Fprintf(w, articleHTML, "Talks resume", "The minister")
		}
	}))
	base = h.srv.URL
	u := h.addFeed("/feed")
	if s := h.poll(); s.NewArticles != 1 {
		t.Fatalf("first poll stored %d articles, want 1", s.NewArticles)
	}
	f := h.feed(u)
	if f.ETag != `"v1"` || f.LastModified == "" {
		t.Fatalf("validators not kept: etag %q last-modified %q", f.ETag, f.LastModified)
	}
	h.clock.Advance(48 * time.Hour)
	s := h.poll()
	if s.NotModified != 1 || conditional.Load() != 1 {
		t.Fatalf("second poll: not modified %d, conditional requests %d; want 1 and 1", s.NotModified, conditional.Load())
	}
	if g := h.feed(u); !g.LastPollAt.After(f.LastPollAt) || !g.NextPollAt.After(h.clock.Now()) {
		t.Errorf("after 304: last poll %v (was %v), next poll %v: want both moved on", g.LastPollAt, f.LastPollAt, g.NextPollAt)
	}
}

func TestPollHonoursRetryAfter(t *testing.T) {
	for _, code := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "7200")
				w.WriteHeader(code)
			}))
			u := h.addFeed("/feed")
			h.poll()
			f := h.feed(u)
			if earliest := h.clock.Now().Add(2 * time.Hour); f.NextPollAt.Before(earliest) {
				t.Errorf("next poll %v, want not before %v (Retry-After: 7200)", f.NextPollAt, earliest)
			}
			if f.LastStatus != code || f.ConsecutiveErrors != 1 {
				t.Errorf("status %d errors %d, want %d and 1", f.LastStatus, f.ConsecutiveErrors, code)
			}
		})
	}
}

func TestGoneFeedIsNeverPolledAgain(t *testing.T) {
	var hits atomic.Int32
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusGone)
	}))
	u := h.addFeed("/feed")
	h.poll()
	h.clock.Advance(30 * 24 * time.Hour)
	h.poll()
	if n := hits.Load(); n != 1 {
		t.Errorf("gone feed requested %d times, want 1", n)
	}
	if f := h.feed(u); f.State != store.FeedGone {
		t.Errorf("state %q, want %q", f.State, store.FeedGone)
	}
}

func TestPermanentRedirectMovesTheFeed(t *testing.T) {
	var oldHits, newHits atomic.Int32
	var base string
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			oldHits.Add(1)
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/new":
			newHits.Add(1)
			fmt.Fprint(w, rssOf(base))
		}
	}))
	base = h.srv.URL
	u := h.addFeed("/old")
	h.poll()
	h.clock.Advance(48 * time.Hour)
	h.poll()
	if oldHits.Load() != 1 || newHits.Load() != 2 {
		t.Errorf("old URL hit %d times, new %d; want 1 and 2", oldHits.Load(), newHits.Load())
	}
	if f := h.feed(u); f.RedirectTo != h.srv.URL+"/new" {
		t.Errorf("stored new URL %q, want %q", f.RedirectTo, h.srv.URL+"/new")
	}
}

// An item whose link resolves to a private address is stored from the feed
// with the reason, and no connection to that address is ever attempted.
func TestPrivateItemLinkIsRefusedNeverDialed(t *testing.T) {
	var dialed []string
	var mu sync.Mutex
	var base string
	resolver := func(ctx context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "intranet.example":
			return []netip.Addr{netip.MustParseAddr("10.0.0.1")}, nil
		case "metadata.example":
			return []netip.Addr{netip.MustParseAddr("169.254.169.254")}, nil
		}
		return nil, fmt.Errorf("no such host %s", host)
	}
	dialHook := func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dialed = append(dialed, addr)
		mu.Unlock()
		if !strings.HasPrefix(addr, "127.0.0.1:") {
			return nil, fmt.Errorf("test dial hook: refusing %s", addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Secret</title><link>http://intranet.example/secret</link><description>Summary of the secret item.</description></item>
<item><title>Metadata</title><link>http://metadata.example/latest/meta-data/</link><description>Summary two.</description></item>
</channel></rss>`)
	}), func(c *fetch.Config) { c.Resolver = resolver; c.DialHook = dialHook })
	base = h.srv.URL
	_ = base
	h.addFeed("/feed")
	h.poll()
	arts := h.articles()
	if len(arts) != 2 {
		t.Fatalf("articles = %d, want 2 (both stored from the feed)", len(arts))
	}
	for _, a := range arts {
		if a.TextSource != store.TextFromFeed || !strings.Contains(a.FetchError, "refused") {
			t.Errorf("article %s: text source %q, fetch error %q; want feed and a refusal reason", a.URL, a.TextSource, a.FetchError)
		}
	}
	for _, addr := range dialed {
		if !strings.HasPrefix(addr, "127.0.0.1:") {
			t.Errorf("dialed %s: the guard must refuse before connecting", addr)
		}
	}
}

// A 304 carries no item dates; the feed keeps the adaptive interval its
// last document gave instead of falling back to the no-dates default. Of
// the document's fifty dates the feed keeps the twenty the schedule reads.
func TestNotModifiedKeepsTheAdaptiveInterval(t *testing.T) {
	var base string
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>busy</title>`)
		now := time.Now().UTC()
		for i := range 50 {
			// An item every 40 minutes: the adaptive interval is about 20m.
			d := now.Add(-time.Duration(i) * 40 * time.Minute).Format(http.TimeFormat)
			fmt.Fprintf(&b, `<item><title>S%d</title><link>%s/missing/%d</link><pubDate>%s</pubDate><description>short</description></item>`, i, base, i, d)
		}
		b.WriteString(`</channel></rss>`)
		fmt.Fprint(w, b.String())
	}))
	base = h.srv.URL
	u := h.addFeed("/feed")
	h.poll()
	first := h.feed(u)
	if len(first.ItemDates) != 20 {
		t.Errorf("stored item dates: %d; want the newest 20 of 50", len(first.ItemDates))
	}
	gap := first.NextPollAt.Sub(first.LastPollAt)
	if gap < 15*time.Minute || gap > 25*time.Minute {
		t.Fatalf("interval after the first poll = %v, want about 20m (half the 40m publishing gap)", gap)
	}
	h.clock.Advance(gap + time.Minute)
	if s := h.poll(); s.NotModified != 1 {
		t.Fatalf("second poll: %+v, want one 304", s)
	}
	second := h.feed(u)
	if gap2 := second.NextPollAt.Sub(second.LastPollAt); gap2 < 15*time.Minute || gap2 > 25*time.Minute {
		t.Errorf("interval after a 304 = %v, want about 20m as before", gap2)
	}
}
