package bench

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Site serves Feeds RSS feeds of Items items each on a loopback server; item
// i of feed f links to a page whose body is Page(f, i). Every feed carries
// the ETag "v1" and answers 304 to a conditional GET that presents it, the
// steady state of a real deployment.
type Site struct {
	Feeds, Items int
	Page         func(feed, item int) []byte

	srv                             *httptest.Server
	feedHits, notModified, pageHits atomic.Int64
	feedBytes, pageBytes            atomic.Int64
}

// ETag is the validator every feed carries.
const ETag = `"v1"`

// Start serves the site until Close.
func (s *Site) Start() {
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	// The benchmarks open hundreds of connections at once.
	s.srv.Config.ReadHeaderTimeout = 10 * time.Second
}

// Close stops the server.
func (s *Site) Close() { s.srv.Close() }

// URL is the server's base URL.
func (s *Site) URL() string { return s.srv.URL }

// FeedURL is feed f's URL.
func (s *Site) FeedURL(f int) string { return fmt.Sprintf("%s/feed/%d.xml", s.srv.URL, f) }

// FeedURLs lists every feed's URL.
func (s *Site) FeedURLs() []string {
	urls := make([]string, s.Feeds)
	for f := range urls {
		urls[f] = s.FeedURL(f)
	}
	return urls
}

// Counts are the requests the site answered.
type Counts struct {
	FeedHits, NotModified, PageHits int64
	FeedBytes, PageBytes            int64
}

// Counts reads the request counters.
func (s *Site) Counts() Counts {
	return Counts{
		FeedHits: s.feedHits.Load(), NotModified: s.notModified.Load(), PageHits: s.pageHits.Load(),
		FeedBytes: s.feedBytes.Load(), PageBytes: s.pageBytes.Load(),
	}
}

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/feed/") && strings.HasSuffix(path, ".xml"):
		f, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, "/feed/"), ".xml"))
		if err != nil || f < 0 || f >= s.Feeds {
			http.NotFound(w, r)
			return
		}
		s.feedHits.Add(1)
		w.Header().Set("ETag", ETag)
		if r.Header.Get("If-None-Match") == ETag {
			s.notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := s.feed(f)
		s.feedBytes.Add(int64(len(body)))
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write(body)
	case strings.HasPrefix(path, "/page/"):
		var f, i int
		if _, err := fmt.Sscanf(path, "/page/%d/%d.html", &f, &i); err != nil || f < 0 || f >= s.Feeds || i < 0 || i >= s.Items {
			http.NotFound(w, r)
			return
		}
		body := s.Page(f, i)
		s.pageHits.Add(1)
		s.pageBytes.Add(int64(len(body)))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	default:
		http.NotFound(w, r)
	}
}

// PageURL is the link of item i of feed f.
func (s *Site) PageURL(f, i int) string { return fmt.Sprintf("%s/page/%d/%d.html", s.srv.URL, f, i) }

// feed renders feed f as RSS 2.0, newest item first, with titles only so
// that the pipeline must fetch and extract every page.
func (s *Site) feed(f int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed %d</title><link>%s</link>`, f, s.srv.URL)
	base := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for i := range s.Items {
		link := html.EscapeString(s.PageURL(f, i))
		fmt.Fprintf(&b, `<item><title>Story %d of feed %d</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate></item>`,
			i, f, link, link, base.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}
