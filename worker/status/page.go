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
	Feeds      []store.Feed
	States     []stateCount
	Latest     []articleRow
	Syndicated []articleRow
	Problem    string // a section could not be read
}

type stateCount struct {
	State string
	N     int
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
	d.Feeds = sortForOperator(feeds)
	d.States = countStates(feeds)
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

// sortForOperator puts feeds that need attention first (not active, or
// failing), then orders by URL, so problems are at the top of a long list.
func sortForOperator(feeds []store.Feed) []store.Feed {
	out := slices.Clone(feeds)
	needsLook := func(f store.Feed) int {
		if f.State != store.FeedActive || f.LastError != "" {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b store.Feed) int {
		return cmp.Or(cmp.Compare(needsLook(a), needsLook(b)), cmp.Compare(a.URL, b.URL))
	})
	return out
}

func countStates(feeds []store.Feed) []stateCount {
	n := map[string]int{}
	for _, f := range feeds {
		n[string(f.State)]++
	}
	var out []stateCount
	for s, c := range n {
		out = append(out, stateCount{s, c})
	}
	slices.SortFunc(out, func(a, b stateCount) int { return cmp.Compare(a.State, b.State) })
	return out
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
