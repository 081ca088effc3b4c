package crashtest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Serve serves the corpus on 127.0.0.1 until the test ends. Each page
// answer waits pageDelay first, so that a process killed at a random moment
// is usually in the middle of fetching and storing.
func Serve(t testing.TB, c *Corpus, pageDelay time.Duration) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var site int
		if _, err := fmt.Sscanf(r.URL.Path, "/site%d/feed.xml", &site); err == nil && site >= 0 && site < len(c.Feeds) && r.URL.Path == FeedPath(site) {
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			fmt.Fprint(w, c.Feed(site, srv.URL))
			return
		}
		page, ok := c.Page(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		select {
		case <-time.After(pageDelay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// FeedURLs lists every site's feed URL on the server at base.
func (c *Corpus) FeedURLs(base string) []string {
	urls := make([]string, len(c.Feeds))
	for i := range c.Feeds {
		urls[i] = base + FeedPath(i)
	}
	return urls
}
