package pipeline

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// manyItemsFeed has n items with no link (so no page is fetched), each with
// a distinct summary long enough to be stored as its own article.
func manyItemsFeed(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Item %d</title><guid isPermaLink="false">item-%d</guid><description>Report number %d of the series, `+
			`on the %d-th hearing of the committee, where members of every party asked what the figures for the year %d mean.</description></item>`, i, i, i, i, 1000+i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func TestPollDefersItemsPastThePerPollCap(t *testing.T) {
	const extra = 5
	var fullGets atomic.Int32
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fullGets.Add(1)
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, manyItemsFeed(MaxNewItemsPerPoll+extra))
	}))
	u := h.addFeed("/feed")
	s := h.poll()
	if got := s.NewArticles + s.Duplicates; got != MaxNewItemsPerPoll || s.Deferred != extra {
		t.Fatalf("first poll took %d items, deferred %d; want %d and %d", got, s.Deferred, MaxNewItemsPerPoll, extra)
	}
	if f := h.feed(u); f.ETag != "" || f.BodyHash != "" {
		t.Fatalf("validators kept after a capped poll (etag %q, body hash %q): the next poll would skip the deferred items", f.ETag, f.BodyHash)
	}
	h.clock.Advance(48 * time.Hour)
	s = h.poll()
	if got := s.NewArticles + s.Duplicates; got != extra || s.Deferred != 0 || fullGets.Load() != 2 {
		t.Fatalf("second poll took %d items, deferred %d, full GETs %d; want %d, 0, 2", got, s.Deferred, fullGets.Load(), extra)
	}
	if n := len(h.articles()); n != MaxNewItemsPerPoll+extra {
		t.Fatalf("%d articles stored, want every one of the %d items", n, MaxNewItemsPerPoll+extra)
	}
	if f := h.feed(u); f.ETag != `"v1"` {
		t.Fatalf("etag %q after an uncapped poll, want it kept", f.ETag)
	}
}

func TestPageTooComplexStoresTheFeedText(t *testing.T) {
	var base string
	summary := strings.Repeat("The feed's own summary of the hearing, as the agency wrote it. ", 3)
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`+
				`<item><title>Deep</title><link>%s/deep</link><description>%s</description></item>`+
				`<item><title>Fine</title><link>%s/fine</link></item></channel></rss>`, base, summary, base)
		case "/deep":
			w.Header().Set("Content-Type", "text/html")
			// Reopened formatting: 300,000 nodes from 700 kB.
			fmt.Fprint(w, strings.Repeat("<p><i>x", 100_000))
		case "/fine":
			fmt.Fprintf(w, articleHTML, "Talks resume", "The minister")
		}
	}))
	base = h.srv.URL
	h.addFeed("/feed")
	if s := h.poll(); s.NewArticles != 2 || s.Errors != 0 {
		t.Fatalf("poll: %d new, %d errors; want 2 and 0", s.NewArticles, s.Errors)
	}
	for _, a := range h.articles() {
		switch {
		case strings.HasSuffix(a.URL, "/deep"):
			if !strings.Contains(a.FetchError, "too complex") || !strings.Contains(a.Text, "as the agency wrote it") {
				t.Errorf("deep page: fetch_error %q, text %.60q; want a too-complex error and the feed's text", a.FetchError, a.Text)
			}
		case strings.HasSuffix(a.URL, "/fine"):
			if a.FetchError != "" || !strings.Contains(a.Text, "second round planned") {
				t.Errorf("ordinary page: fetch_error %q, text %.60q; want its text", a.FetchError, a.Text)
			}
		}
	}
}

// TestSitemapSourceDefersItemsPastThePerPollCap: a sitemap's URLs are items
// like a feed's, held to the same per-poll cap; the rest are taken by the
// next poll, which reads the sitemap again in full.
func TestSitemapSourceDefersItemsPastThePerPollCap(t *testing.T) {
	const extra = 3
	var base string
	var sitemapGets atomic.Int32
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		case r.URL.Path == "/sitemap.xml":
			sitemapGets.Add(1)
			w.Header().Set("ETag", `"s1"`)
			fmt.Fprint(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for i := range MaxNewItemsPerPoll + extra {
				fmt.Fprintf(w, `<url><loc>%s/p/%d</loc></url>`, base, i)
			}
			fmt.Fprint(w, `</urlset>`)
		case strings.HasPrefix(r.URL.Path, "/p/"):
			n := strings.TrimPrefix(r.URL.Path, "/p/")
			fmt.Fprintf(w, articleHTML, "Hearing "+n, "Delegate "+n)
		default:
			http.NotFound(w, r)
		}
	}))
	base = h.srv.URL
	u := h.addFeed("/sitemap.xml")
	s := h.poll()
	if got := s.NewArticles + s.Duplicates; got != MaxNewItemsPerPoll || s.Deferred != extra || s.Errors != 0 {
		t.Fatalf("first poll took %d URLs, deferred %d, %d errors; want %d, %d and 0", got, s.Deferred, s.Errors, MaxNewItemsPerPoll, extra)
	}
	if f := h.feed(u); f.ETag != "" || f.BodyHash != "" {
		t.Fatalf("validators kept after a capped poll (etag %q, body hash %q)", f.ETag, f.BodyHash)
	}
	h.clock.Advance(48 * time.Hour)
	s = h.poll()
	if got := s.NewArticles + s.Duplicates; got != extra || s.Deferred != 0 || sitemapGets.Load() != 2 {
		t.Fatalf("second poll took %d URLs, deferred %d, sitemap GETs %d; want %d, 0, 2", got, s.Deferred, sitemapGets.Load(), extra)
	}
}
