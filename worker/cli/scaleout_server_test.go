package cli

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
)

// The scale-out tests serve a syndication corpus: many feeds on one host, a
// few stories republished on several of them, each copy at its own URL in
// its own site's template (other headline, byline and chrome around the same
// body), and every other story on one feed only.
const (
	scaleFeeds       = 200
	scaleSyndicated  = 50
	uniquePerFeed    = 2
	scaleCorpusSeed  = 20261128
	scaleFeedVariety = 4 // template variants, chosen by feed index
)

// syndItem is one feed entry: the page it links to and the story it carries.
type syndItem struct {
	path  string
	story int
}

type syndCorpus struct {
	stories []crashtest.Story
	feeds   [][]syndItem
}

// newSyndCorpus lays out the stories: story s < scaleSyndicated is carried by
// 3 to 6 feeds spread over the list, the rest by one feed each.
func newSyndCorpus() *syndCorpus {
	total := scaleSyndicated + scaleFeeds*uniquePerFeed
	c := &syndCorpus{
		stories: crashtest.NewCorpus(scaleCorpusSeed, 1, total).Stories,
		feeds:   make([][]syndItem, scaleFeeds),
	}
	for s := range scaleSyndicated {
		// 41·j mod 200 differs for j < 6, so the copies land on distinct feeds.
		for j := range 3 + s%4 {
			c.add((s*4+j*41)%scaleFeeds, s)
		}
	}
	for k := scaleSyndicated; k < total; k++ {
		c.add((k-scaleSyndicated)/uniquePerFeed, k)
	}
	return c
}

func (c *syndCorpus) add(feed, story int) {
	c.feeds[feed] = append(c.feeds[feed], syndItem{path: fmt.Sprintf("/f%d/story-%d.html", feed, story), story: story})
}

func feedPath(feed int) string { return fmt.Sprintf("/f%d/rss.xml", feed) }

// copies maps each item URL under base to the sorted URLs of every copy of
// its story: what one article's sources must be.
func (c *syndCorpus) copies(base string) map[string][]string {
	byStory := map[int][]string{}
	for _, items := range c.feeds {
		for _, it := range items {
			byStory[it.story] = append(byStory[it.story], base+it.path)
		}
	}
	out := map[string][]string{}
	for _, urls := range byStory {
		slices.Sort(urls)
		for _, u := range urls {
			out[u] = urls
		}
	}
	return out
}

// headline varies the story's title the way republishers do.
func headline(title string, feed int) string {
	switch feed % scaleFeedVariety {
	case 1:
		return "UPDATE 1-" + title
	case 2:
		return fmt.Sprintf("%s | Feed %d", title, feed)
	case 3:
		return title + ", officials say"
	}
	return title
}

func (c *syndCorpus) feedXML(feed int, base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Feed %d</title><link>%s/f%d/</link><description>News of feed %d</description>
`, feed, base, feed, feed)
	epoch := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	for _, it := range c.feeds[feed] {
		s := c.stories[it.story]
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s%s</link><guid>%s%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(headline(s.Title, feed)), base, it.path, base, it.path,
			epoch.Add(-time.Duration(it.story)*time.Minute).Format(time.RFC1123Z),
			html.EscapeString(s.Paragraphs[0]))
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// page renders an item's page in its feed's template.
func (c *syndCorpus) page(path string) (string, bool) {
	var feed, story int
	if _, err := fmt.Sscanf(path, "/f%d/story-%d.html", &feed, &story); err != nil ||
		feed < 0 || feed >= scaleFeeds || path != fmt.Sprintf("/f%d/story-%d.html", feed, story) ||
		!slices.Contains(c.feeds[feed], syndItem{path: path, story: story}) {
		return "", false
	}
	s := c.stories[story]
	title := html.EscapeString(headline(s.Title, feed))
	bylines := []string{"By Staff Reporter", "By Ana Ruiz, Wire Service", "", "Agencies"}
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s - Feed %d</title></head>
<body class="skin-%d"><header><a href="/f%d/">Feed %d</a><nav><a href="/f%d/world">World</a> <a href="/f%d/money">Money</a> <a href="/f%d/games">Games</a></nav></header>
<main><article><h1>%s</h1>`, title, feed, feed%scaleFeedVariety, feed, feed, feed, feed, feed, title)
	if by := bylines[feed%scaleFeedVariety]; by != "" {
		fmt.Fprintf(&b, `<p class="byline">%s</p>`, by)
	}
	for _, p := range s.Paragraphs {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	fmt.Fprintf(&b, `</article></main>
<aside><h3>Most read on feed %d</h3><ul><li><a href="/f%d/popular">Popular</a></li></ul><form><p>Sign up for the feed %d newsletter</p></form></aside>
<footer><p>Copyright feed %d.</p><a href="/f%d/terms">Terms</a></footer></body></html>
`, feed, feed, feed, feed, feed)
	return b.String(), true
}

// fetchRecord is one request for a feed as the server saw it.
type fetchRecord struct {
	at     time.Time
	worker string // the requester's User-Agent
}

// syndServer serves a syndCorpus and records every feed request. Answers
// wait a delay (feeds feedDelay, pages pageDelay), so that a worker holds
// its leases a while and a kill can land in the middle of a poll.
type syndServer struct {
	*httptest.Server
	corpus               *syndCorpus
	feedDelay, pageDelay time.Duration

	mu       sync.Mutex
	fetches  [scaleFeeds][]fetchRecord
	inFlight map[string]map[int]bool                  // feeds being answered, by worker
	pages    map[string]int                           // page requests being answered, by worker
	watch    func(worker string, feed int, page bool) // called under mu as each request arrives
}

func serveSynd(t *testing.T, c *syndCorpus, feedDelay, pageDelay time.Duration) *syndServer {
	t.Helper()
	s := &syndServer{corpus: c, feedDelay: feedDelay, pageDelay: pageDelay, inFlight: map[string]map[int]bool{}, pages: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *syndServer) serve(w http.ResponseWriter, r *http.Request) {
	var feed int
	if _, err := fmt.Sscanf(r.URL.Path, "/f%d/rss.xml", &feed); err == nil && feed >= 0 && feed < scaleFeeds && r.URL.Path == feedPath(feed) {
		s.serveFeed(w, r, feed)
		return
	}
	page, ok := s.corpus.page(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	worker := r.UserAgent()
	fmt.Sscanf(r.URL.Path, "/f%d/", &feed) // page() has checked the path
	s.mu.Lock()
	s.pages[worker]++
	if s.watch != nil {
		s.watch(worker, feed, true)
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.pages[worker]--
		s.mu.Unlock()
	}()
	select {
	case <-time.After(s.pageDelay):
	case <-r.Context().Done():
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, page)
}

func (s *syndServer) serveFeed(w http.ResponseWriter, r *http.Request, feed int) {
	worker := r.UserAgent()
	s.mu.Lock()
	s.fetches[feed] = append(s.fetches[feed], fetchRecord{at: time.Now(), worker: worker})
	if s.inFlight[worker] == nil {
		s.inFlight[worker] = map[int]bool{}
	}
	s.inFlight[worker][feed] = true
	if s.watch != nil {
		s.watch(worker, feed, false)
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.inFlight[worker], feed)
		s.mu.Unlock()
	}()
	select {
	case <-time.After(s.feedDelay):
	case <-r.Context().Done():
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, s.corpus.feedXML(feed, s.URL))
}

// log returns a copy of every feed's fetch records, oldest first.
func (s *syndServer) log() [scaleFeeds][]fetchRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [scaleFeeds][]fetchRecord
	for i, recs := range s.fetches {
		out[i] = slices.Clone(recs)
	}
	return out
}

// answering lists the feeds whose requests from worker are being answered.
func (s *syndServer) answering(worker string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var feeds []int
	for f := range s.inFlight[worker] {
		feeds = append(feeds, f)
	}
	slices.Sort(feeds)
	return feeds
}

// pagesAnswering counts the page requests from worker being answered.
func (s *syndServer) pagesAnswering(worker string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pages[worker]
}

// onRequest sets a function called as each feed or page request arrives.
func (s *syndServer) onRequest(fn func(worker string, feed int, page bool)) {
	s.mu.Lock()
	s.watch = fn
	s.mu.Unlock()
}

// feedsFile lists every feed, each with the given poll interval.
func (s *syndServer) feedsFile(interval time.Duration) string {
	var b strings.Builder
	for i := range scaleFeeds {
		fmt.Fprintf(&b, "%s%s interval=%s\n", s.URL, feedPath(i), interval)
	}
	return b.String()
}

// itemURLs lists every item URL of every feed.
func (s *syndServer) itemURLs() []string {
	var urls []string
	for _, items := range s.corpus.feeds {
		for _, it := range items {
			urls = append(urls, s.URL+it.path)
		}
	}
	return urls
}
