package pipeline

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/netguard"
	"github.com/wiresift/wiresift/worker/store"
)

// These tests run poll end to end against two or three local sites, each
// its own httptest server (its own host:port), to show that no site can
// hide, rewrite or double another site's story.

// harbourStory is one story of eight paragraphs; its later paragraphs name
// the same people and places as its first ones, as a story's do.
var harbourStory = []string{
	"Dockworkers at the port of Gothenburg walked out on Monday after talks between the harbour authority and the union collapsed over night-shift pay and the staffing of the new container terminal.",
	"Union delegate Jonas Berg told reporters at the harbour gates that the walkout would last until the authority withdrew its plan to cut crews on the container cranes from four workers to three.",
	"Harbour authority chief Maria Lindqvist said the plan followed a safety review of the cranes and that the authority had offered the union a pay rise for night shifts at the container terminal.",
	"Shipping lines began diverting vessels to Aarhus and Oslo within hours, and freight forwarders warned that the strike at Gothenburg would delay car parts bound for factories across Sweden.",
	"Berg said dockworkers had not been consulted on the safety review, and that the union would accept a mediator if the harbour authority put the crane staffing plan on hold during the talks.",
	"Lindqvist rejected mediation on Monday evening, telling the union that the authority would keep the Gothenburg container terminal open with managers and temporary crane crews if the strike went on.",
	"The last strike at the port of Gothenburg, in 2017, lasted eleven days and ended when the harbour authority and the union agreed on night-shift pay through a government mediator.",
	"Freight forwarders said the diverted vessels would add two days to deliveries from Asia, and Volvo said its factories near Gothenburg had enough car parts for one week of the strike.",
}

// recipeText is text about something else: what a padding site appends.
var recipeText = []string{
	"For the lemon cake, whisk four eggs with two hundred grams of sugar until pale and thick, then fold in the zest of three lemons and a pinch of salt before adding any flour.",
	"Sift the flour with baking powder over the batter in three parts, folding gently each time, and pour it into a buttered tin lined with baking paper on the bottom.",
	"Bake the cake for forty minutes in the middle of a moderate oven, until a skewer comes out clean, and brush it while still warm with a syrup of lemon juice and icing sugar.",
}

// railStory is another story altogether, told by the hijacking site.
var railStory = []string{
	"Engineers closed the mountain railway between Narvik and Kiruna on Thursday after a rockslide buried two hundred metres of track near the border station at Riksgränsen.",
	"The rail operator said ore trains from the Kiruna mine would be held in sidings until geologists had inspected the slope above the line and crews had cleared the debris.",
	"Passengers on the night train from Stockholm were taken on by bus from Abisko, and the operator said the line could reopen on Sunday if the weather stayed dry in the mountains.",
	"Mine owner LKAB said stockpiles at the Narvik harbour would cover shipments for about a week, and that it was planning extra trains to make up for the closure once the track reopened.",
}

// page is one article page a site serves.
type page struct {
	title, author, siteName, published, canonical string
	paras                                         []string
}

func (p page) html() string {
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><title>" + html.EscapeString(p.title) + "</title>")
	fmt.Fprintf(&b, `<meta property="og:site_name" content="%s">`, html.EscapeString(p.siteName))
	fmt.Fprintf(&b, `<meta name="author" content="%s">`, html.EscapeString(p.author))
	fmt.Fprintf(&b, `<meta property="article:published_time" content="%s">`, p.published)
	if p.canonical != "" {
		fmt.Fprintf(&b, `<link rel="canonical" href="%s">`, p.canonical)
	}
	b.WriteString(`</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>` + html.EscapeString(p.title) + "</h1>")
	for _, para := range p.paras {
		b.WriteString("<p>" + html.EscapeString(para) + "</p>")
	}
	b.WriteString("</article><footer>Copyright 2024 " + html.EscapeString(p.siteName) + "</footer></body></html>")
	return b.String()
}

// item is one entry of a site's feed.
type item struct{ guid, path, title string }

// site is a news site on its own local server: a feed at /feed and pages.
type site struct {
	srv *httptest.Server

	mu    sync.Mutex
	items []item
	pages map[string]page
	hits  map[string]int // page requests by path
}

func newSite(t *testing.T) *site {
	s := &site{pages: map[string]page{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) url(path string) string { return s.srv.URL + path }

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path == "/feed" {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>site</title>`)
		for i, it := range s.items {
			fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid isPermaLink="false">%s</guid><pubDate>Mon, 06 May 2024 %02d:00:00 GMT</pubDate></item>`,
				html.EscapeString(it.title), s.url(it.path), it.guid, 8+i)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, b.String())
		return
	}
	p, ok := s.pages[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.hits[r.URL.Path]++
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, p.html())
}

// publish adds a page and its feed item.
func (s *site) publish(guid, path string, p page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
	s.items = append(s.items, item{guid: guid, path: path, title: p.title})
}

// anyLoopback lets the fetcher reach every local site, whatever its port.
func anyLoopback(c *fetch.Config) {
	c.Allow, _ = netguard.ParseAllowlist("127.0.0.1/32")
}

// pollFeed adds a site's feed and polls what is due: the feeds of earlier
// calls are not due again yet, so each call polls that one feed.
func (h *harness) pollSite(s *site) Summary {
	h.t.Helper()
	if err := h.st.AddFeed(h.t.Context(), store.FeedConfig{URL: s.url("/feed")}); err != nil {
		h.t.Fatal(err)
	}
	return h.poll()
}

// articleWithSource finds the article that has a sighting of itemURL.
func (h *harness) articleWithSource(itemURL string) store.Article {
	h.t.Helper()
	for _, a := range h.articles() {
		for _, src := range a.Sources {
			if src.URL == itemURL {
				return a
			}
		}
	}
	h.t.Fatalf("no article has a sighting of %s", itemURL)
	return store.Article{}
}

func currentSource(a store.Article) (store.Source, int) {
	var cur store.Source
	n := 0
	for _, s := range a.Sources {
		if s.TextRole == store.TextCurrent {
			cur = s
			n++
		}
	}
	return cur, n
}

func TestPollCanonicalClaimCannotHideAnotherSitesStory(t *testing.T) {
	h := newHarness(t, http.NotFoundHandler(), anyLoopback)
	a, b := newSite(t), newSite(t)
	a.publish("a-777", "/story-777", page{title: "Gothenburg dockworkers strike", author: "Anna Ek",
		siteName: "Harbour Daily", published: "2024-05-06T08:00:00Z", paras: harbourStory})
	// B's own story claims to be A's page, and B is polled first.
	b.publish("b-1", "/rail", page{title: "Rockslide shuts railway", author: "Per Holm", siteName: "Rail Times",
		published: "2024-05-06T07:00:00Z", canonical: a.url("/story-777"), paras: railStory})

	if s := h.pollSite(b); s.NewArticles != 1 {
		t.Fatalf("poll of the claiming site: %d new articles, want 1", s.NewArticles)
	}
	if s := h.pollSite(a); s.NewArticles != 1 {
		t.Fatalf("poll of the real owner: %d new articles, %d duplicates (%v); want its story stored as a new article",
			s.NewArticles, s.Duplicates, s.ByReason)
	}
	story := h.articleWithSource(a.url("/story-777"))
	if !strings.Contains(story.Text, "Union delegate Jonas Berg") || story.URL != a.url("/story-777") || story.Title != "Gothenburg dockworkers strike" {
		t.Errorf("A's story: url %q title %q text %.60q...; want A's page, title and text", story.URL, story.Title, story.Text)
	}
	hits, err := h.st.Search(t.Context(), "Lindqvist", store.SearchOptions{})
	if err != nil || len(hits) != 1 || hits[0].ArticleID != story.ID {
		t.Errorf("search for A's story: %+v, %v; want article %d", hits, err, story.ID)
	}
	rail := h.articleWithSource(b.url("/rail"))
	if rail.ID == story.ID || !strings.Contains(rail.Text, "rockslide") {
		t.Errorf("B's page: article %d (A's is %d), text %.60q; want its own article with its own text", rail.ID, story.ID, rail.Text)
	}

	// A third site, polled after A, claims A's page for a text of its own:
	// the claim is not borne out, so its text is stored and A's kept.
	c := newSite(t)
	c.publish("c-1", "/cake", page{title: "Lemon cake", author: "Cook", siteName: "Kitchen",
		published: "2024-05-06T11:00:00Z", canonical: a.url("/story-777"), paras: recipeText})
	if s := h.pollSite(c); s.NewArticles != 1 {
		t.Fatalf("poll of the site claiming a stored page: %d new, by reason %v; want its own article", s.NewArticles, s.ByReason)
	}
	if cake := h.articleWithSource(c.url("/cake")); cake.ID == story.ID || !strings.Contains(cake.Text, "lemon") {
		t.Errorf("C's page: article %d (A's is %d), text %.60q; want its own article", cake.ID, story.ID, cake.Text)
	}
	if again := h.articleWithSource(a.url("/story-777")); again.Text != story.Text || len(again.Sources) != 1 {
		t.Errorf("A's story after C's claim: %d sources, text changed %v; want it untouched", len(again.Sources), again.Text != story.Text)
	}
}

func TestPollTrueCanonicalClaimStillFolds(t *testing.T) {
	h := newHarness(t, http.NotFoundHandler(), anyLoopback)
	a, b := newSite(t), newSite(t)
	a.publish("a-1", "/story", page{title: "Gothenburg dockworkers strike", author: "Anna Ek",
		siteName: "Harbour Daily", published: "2024-05-06T08:00:00Z", paras: harbourStory})
	// B syndicates A's story under its own headline and points at A's page.
	b.publish("b-1", "/wire/strike", page{title: "Port strike spreads", author: "Wire staff", siteName: "Wire Post",
		published: "2024-05-06T09:00:00Z", canonical: a.url("/story"), paras: harbourStory[:6]})
	h.pollSite(a)
	if s := h.pollSite(b); s.NewArticles != 0 || s.ByReason[string(store.ReasonSameURL)] != 1 {
		t.Fatalf("poll of the syndicating site: %d new, by reason %v; want one same_url sighting", s.NewArticles, s.ByReason)
	}
	art := h.articleWithSource(b.url("/wire/strike"))
	if art.URL != a.url("/story") || len(art.Sources) != 2 {
		t.Errorf("article: url %q with %d sources; want A's page with both sightings", art.URL, len(art.Sources))
	}
}

func TestPollPaddedCopyCannotRewriteStory(t *testing.T) {
	for _, tc := range []struct {
		name  string
		paras []string
	}{
		{"appended", append(append([]string{}, harbourStory...), recipeText...)},
		{"inserted", append(append(append([]string{}, harbourStory[:3]...), recipeText...), harbourStory[3:]...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, http.NotFoundHandler(), anyLoopback)
			a, b := newSite(t), newSite(t)
			a.publish("a-1", "/story", page{title: "Gothenburg dockworkers strike", author: "Anna Ek",
				siteName: "Harbour Daily", published: "2024-05-06T08:00:00Z", paras: harbourStory})
			b.publish("b-1", "/copy", page{title: "Strike! Plus our lemon cake", author: "Someone", siteName: "Padding Post",
				published: "2024-05-06T10:00:00Z", paras: tc.paras})
			h.pollSite(a)
			if s := h.pollSite(b); s.NewArticles != 0 || s.Duplicates != 1 || s.Upgraded != 0 {
				t.Fatalf("poll of the padding site: %d new, %d duplicates, %d upgraded; want one sighting, no upgrade",
					s.NewArticles, s.Duplicates, s.Upgraded)
			}
			art := h.articleWithSource(a.url("/story"))
			if strings.Contains(art.Text, "lemon") || art.URL != a.url("/story") || art.SiteName != "Harbour Daily" {
				t.Errorf("article after the padded copy: url %q site %q, text has the recipe: %v; want A's page untouched",
					art.URL, art.SiteName, strings.Contains(art.Text, "lemon"))
			}
			if hits, _ := h.st.Search(t.Context(), "lemon", store.SearchOptions{}); len(hits) != 0 {
				t.Errorf("search for the padding finds %d articles, want none", len(hits))
			}
			if cur, n := currentSource(art); n != 1 || cur.URL != a.url("/story") {
				t.Errorf("text source: %d current, %+v; want A's sighting", n, cur)
			}
		})
	}
}

func TestPollFullerCopyRepresentsTrimmedStoryFromOnePage(t *testing.T) {
	h := newHarness(t, http.NotFoundHandler(), anyLoopback)
	a, b := newSite(t), newSite(t)
	// A trimmed four-paragraph copy arrives first, the full story later.
	b.publish("b-1", "/short", page{title: "Port strike (short)", author: "Wire staff", siteName: "Wire Post",
		published: "2024-05-06T07:30:00Z", paras: harbourStory[:4]})
	a.publish("a-1", "/full", page{title: "Gothenburg dockworkers strike", author: "Anna Ek",
		siteName: "Harbour Daily", published: "2024-05-06T08:00:00Z", paras: harbourStory})
	h.pollSite(b)
	if s := h.pollSite(a); s.Upgraded != 1 || s.Duplicates != 1 {
		t.Fatalf("poll of the full story: %d upgraded, %d duplicates (%v); want one upgrading sighting", s.Upgraded, s.Duplicates, s.ByReason)
	}
	art := h.articleWithSource(a.url("/full"))
	if !strings.Contains(art.Text, "Volvo said") {
		t.Errorf("text: %.80q...; want the full story", art.Text)
	}
	// Every page field is the full page's, not a mix of the two.
	if art.URL != a.url("/full") || art.Title != "Gothenburg dockworkers strike" || art.Author != "Anna Ek" ||
		art.SiteName != "Harbour Daily" || art.Published == nil || art.Published.Format("15:04") != "08:00" {
		t.Errorf("article fields: url %q title %q author %q site %q published %v; want all of A's page",
			art.URL, art.Title, art.Author, art.SiteName, art.Published)
	}
	cur, n := currentSource(art)
	if n != 1 || cur.URL != a.url("/full") {
		t.Errorf("current text source: %d of them, %+v; want exactly A's sighting", n, cur)
	}
	var replaced []store.Source
	for _, s := range art.Sources {
		if s.TextRole == store.TextReplaced {
			replaced = append(replaced, s)
		}
	}
	if len(replaced) != 1 || replaced[0].URL != b.url("/short") || replaced[0].ReplacedAt == nil {
		t.Errorf("replaced text sources: %+v; want B's trimmed copy, with the time it was replaced", replaced)
	}
}

func TestPollIdentitySwitchAddsNothingTwice(t *testing.T) {
	h := newHarness(t, http.NotFoundHandler(), anyLoopback)
	s := newSite(t)
	stories := [][]string{harbourStory[:4], harbourStory[4:], railStory, recipeText}
	for i, paras := range stories {
		s.publish(fmt.Sprintf("guid-%d", i), fmt.Sprintf("/story/%d", i), page{title: fmt.Sprintf("Story %d", i),
			author: "Staff", siteName: "Site", published: "2024-05-06T08:00:00Z", paras: paras})
	}
	u := s.url("/feed")
	if sum := h.pollSite(s); sum.NewArticles != 4 {
		t.Fatalf("first poll: %d new articles, want 4", sum.NewArticles)
	}
	if f := h.feed(u); f.IdentityPolicy != "guid" {
		t.Fatalf("identity after first poll: %q, want guid", f.IdentityPolicy)
	}
	// The CMS breaks: every item now carries one GUID, and a new item comes.
	s.mu.Lock()
	for i := range s.items {
		s.items[i].guid = "same"
	}
	s.pages["/story/4"] = page{title: "Story 4", author: "Staff", siteName: "Site", published: "2024-05-06T12:00:00Z",
		paras: []string{"The town council of Lund approved a new cycling bridge over the railway on Tuesday evening, after three years of planning and two public hearings about its cost and its route."}}
	s.items = append(s.items, item{guid: "same", path: "/story/4", title: "Story 4"})
	before := map[string]int{}
	for p, n := range s.hits {
		before[p] = n
	}
	s.mu.Unlock()

	h.clock.Advance(48 * 3600e9)
	sum := h.poll()
	if f := h.feed(u); f.IdentityPolicy != "link" {
		t.Fatalf("identity after the GUIDs broke: %q, want link", f.IdentityPolicy)
	}
	s.mu.Lock()
	for p, n := range s.hits {
		if p != "/story/4" && n != before[p] {
			t.Errorf("page %s fetched %d more times after the identity switch, want 0", p, n-before[p])
		}
	}
	newHits := s.hits["/story/4"]
	s.mu.Unlock()
	if sum.NewArticles != 1 || newHits != 1 {
		t.Errorf("second poll: %d new articles, new item fetched %d times; want 1 and 1", sum.NewArticles, newHits)
	}
	// Every item URL appears exactly once in the archive.
	seen := map[string]int{}
	for _, a := range h.articles() {
		for _, src := range a.Sources {
			seen[src.URL]++
		}
	}
	for i := range 5 {
		if n := seen[s.url(fmt.Sprintf("/story/%d", i))]; n != 1 {
			t.Errorf("item %d: %d sightings, want exactly 1", i, n)
		}
	}
	// And a third poll under link identity fetches nothing again.
	h.clock.Advance(48 * 3600e9)
	if sum := h.poll(); sum.NewArticles != 0 || sum.Duplicates != 0 {
		t.Errorf("third poll: %d new, %d duplicates; want nothing", sum.NewArticles, sum.Duplicates)
	}
}
