package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// oneStorySite is a local news site with one story page and a feed listing it.
func oneStorySite(t *testing.T, title, siteName string, paras []string) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>`+
				`<item><title>%s</title><link>%s/story</link><guid>%s/story</guid><pubDate>Mon, 06 May 2024 08:00:00 GMT</pubDate></item>`+
				`</channel></rss>`, siteName, title, srv.URL, srv.URL)
		case "/story":
			fmt.Fprintf(w, `<!doctype html><html><head><title>%s</title><meta property="og:site_name" content="%s"></head>`+
				`<body><article><h1>%s</h1><p>%s</p></article></body></html>`, title, siteName, title, strings.Join(paras, "</p><p>"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

var strikeStory = []string{
	"Dockworkers at the port of Gothenburg walked out on Monday after talks between the harbour authority and the union collapsed over night-shift pay and the staffing of the new container terminal.",
	"Union delegate Jonas Berg told reporters at the harbour gates that the walkout would last until the authority withdrew its plan to cut crews on the container cranes from four workers to three.",
	"Harbour authority chief Maria Lindqvist said the plan followed a safety review of the cranes and that the authority had offered the union a pay rise for night shifts at the container terminal.",
	"Shipping lines began diverting vessels to Aarhus and Oslo within hours, and freight forwarders warned that the strike at Gothenburg would delay car parts bound for factories across Sweden.",
	"Berg said dockworkers had not been consulted on the safety review, and that the union would accept a mediator if the harbour authority put the crane staffing plan on hold during the talks.",
	"Lindqvist rejected mediation on Monday evening, telling the union that the authority would keep the Gothenburg container terminal open with managers and temporary crane crews if the strike went on.",
}

// TestPollFullerCopyShowsWhichPageTheArticleIs: `wiresift poll` over two
// sites, a trimmed copy first and the full story later. The article becomes
// the full page, whole, and both `export` and `dupes` say which sighting
// that is and which one it was before.
func TestPollFullerCopyShowsWhichPageTheArticleIs(t *testing.T) {
	short := oneStorySite(t, "Port strike (short)", "Wire Post", strikeStory[:3])
	full := oneStorySite(t, "Gothenburg dockworkers strike", "Harbour Daily", strikeStory)
	w := newWorkspace(t, short.URL+"/feed")
	w.mustRun(t, "poll", "-log-level", "warn")
	if err := os.WriteFile(w.feeds, []byte(short.URL+"/feed\n"+full.URL+"/feed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.mustRun(t, "poll", "-log-level", "warn") // only the new feed is due

	arts := w.export(t)
	if len(arts) != 1 || len(arts[0].Sources) != 2 {
		t.Fatalf("export: %d articles (first with %d sources); want one article seen twice", len(arts), len(arts[0].Sources))
	}
	a := arts[0]
	if a.URL != full.URL+"/story" || a.Title != "Gothenburg dockworkers strike" || a.SiteName != "Harbour Daily" ||
		!strings.Contains(a.Text, "Lindqvist rejected mediation") {
		t.Errorf("article: url %q title %q site %q; want the full page's url, title, site and text", a.URL, a.Title, a.SiteName)
	}
	if a.Sources[0].TextRole != store.TextReplaced || a.Sources[0].ReplacedAt == nil || a.Sources[1].TextRole != store.TextCurrent {
		t.Errorf("export sources: %+v; want the trimmed copy replaced, the full page current", a.Sources)
	}
	out := w.mustRun(t, "dupes", fmt.Sprint(a.ID))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.Contains(lines[3], "TEXT") ||
		!strings.Contains(lines[4], " replaced 20") || !strings.Contains(lines[4], short.URL) ||
		!strings.Contains(lines[5], " current ") || !strings.Contains(lines[5], full.URL) {
		t.Errorf("dupes output:\n%s\nwant a TEXT column: the short copy replaced (with the time), the full page current", out)
	}
}
