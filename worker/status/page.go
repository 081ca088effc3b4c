package status

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

//go:embed templates/status.html
var templateFS embed.FS

var pageTemplate = template.Must(template.New("status.html").Funcs(template.FuncMap{
	"when": when,
}).ParseFS(templateFS, "templates/status.html"))

// pageData is everything the status page shows.
type pageData struct {
	Version    string
	Now        time.Time
	Healthy    string // "" when healthy, else the problem
	Feeds      []feedRow
	Summary    feedSummary
	Latest     []articleRow
	Syndicated []articleRow
	Problem    string // a section could not be read
}

// OverdueAfter is how far past its next poll time a polled feed must be
// to be marked overdue: a running worker claims a due feed within seconds,
// so minutes late means no worker is getting to it.
const OverdueAfter = 5 * time.Minute

// feedRow is a feed as the page lists it.
type feedRow struct {
	store.Feed
	Overdue bool
}

// feedSummary is the line at the top: what needs a look, in numbers.
type feedSummary struct {
	Polled, Failing, Overdue, Blocked, Gone, Disabled int
}

// articleRow is an article as the page lists it.
type articleRow struct {
	store.Article
	Site  string // the publisher's name, else the host it was fetched from
	Sites int    // distinct sites (hosts) it was seen on
}

// page renders the read-only status page. It is rendered into a buffer first
// so that a failing template never sends half a page with a 200.
func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
	defer cancel()
	d, err := h.collect(ctx)
	if err != nil {
		h.cfg.Logger.Error("status page", "err", err)
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, d); err != nil {
		h.cfg.Logger.Error("status page", "err", err)
		http.Error(w, "status: render page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// collect reads what the page shows. The feed list is required; an error
// listing articles is shown on the page.
func (h *Handler) collect(ctx context.Context) (pageData, error) {
	d := pageData{Version: h.cfg.Version, Now: h.cfg.Now(), Healthy: h.unhealthy(ctx)}
	feeds, err := h.cfg.Store.Feeds(ctx)
	if err != nil {
		return d, err
	}
	d.Feeds = sortForOperator(feeds, d.Now)
	d.Summary = summarise(d.Feeds)
	latest, err := h.cfg.Store.LatestArticles(ctx, h.cfg.Limit)
	if err != nil {
		d.Problem = err.Error()
		return d, nil
	}
	top, err := h.cfg.Store.TopSyndicated(ctx, h.cfg.Limit)
	if err != nil {
		d.Problem = err.Error()
		return d, nil
	}
	d.Latest = rows(latest)
	d.Syndicated = rows(top)
	// The store ranks by feeds; the page shows sites, so rank by those.
	slices.SortStableFunc(d.Syndicated, func(a, b articleRow) int { return cmp.Compare(b.Sites, a.Sites) })
	return d, nil
}

// sortForOperator puts feeds that need attention first (not active,
// failing or overdue), then orders by URL, so problems are at the top of a
// long list.
func sortForOperator(feeds []store.Feed, now time.Time) []feedRow {
	out := make([]feedRow, 0, len(feeds))
	for _, f := range feeds {
		out = append(out, feedRow{Feed: f, Overdue: overdue(f, now)})
	}
	needsLook := func(f feedRow) int {
		if f.State != store.FeedActive || f.LastError != "" || f.Overdue {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b feedRow) int {
		return cmp.Or(cmp.Compare(needsLook(a), needsLook(b)), cmp.Compare(a.URL, b.URL))
	})
	return out
}

// overdue reports whether a polled feed is well past its next poll.
func overdue(f store.Feed, now time.Time) bool {
	polled := f.State == store.FeedActive || f.State == store.FeedBlocked
	return polled && !f.NextPollAt.IsZero() && now.Sub(f.NextPollAt) > OverdueAfter
}

func summarise(feeds []feedRow) feedSummary {
	var s feedSummary
	for _, f := range feeds {
		switch f.State {
		case store.FeedGone:
			s.Gone++
			continue
		case store.FeedDisabled:
			s.Disabled++
			continue
		case store.FeedBlocked:
			s.Blocked++
		}
		s.Polled++
		if f.LastError != "" || f.ConsecutiveErrors > 0 {
			s.Failing++
		}
		if f.Overdue {
			s.Overdue++
		}
	}
	return s
}

func rows(arts []store.Article) []articleRow {
	out := make([]articleRow, 0, len(arts))
	for _, a := range arts {
		site := a.SiteName
		if site == "" {
			site = siteOf(a.URL)
		}
		out = append(out, articleRow{Article: a, Site: site, Sites: distinctSites(a.Sources)})
	}
	return out
}

// when formats a time for the page; the zero time is "never".
func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
