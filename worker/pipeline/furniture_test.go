package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/netguard"
)

// promo is the paragraph the test site's template puts on every page.
const promo = "Never miss a story from the harbour: sign up for the Gazette's morning newsletter today."

// stories are distinct articles, so that no two pages are duplicates.
var stories = [][3]string{
	{"The council voted on Monday to close the old swimming pool on Mill Street after engineers found cracks in its concrete basin.",
		"Parents who relied on the pool for school lessons said the nearest replacement is a forty-minute bus ride away.",
		"A public meeting on what should be built in its place is planned for the spring, according to the town clerk."},
	{"Fishermen landed the largest mackerel catch in twenty years last week, filling every cold store along the quay.",
		"Buyers from three countries drove prices down by nearly a third as boats queued to unload through the night.",
		"The harbour master asked crews to stagger their returns so that the auction hall could keep up with the volume."},
	{"A storm tore the roof from the lifeboat station early on Saturday, leaving the new inshore boat exposed to the rain.",
		"Volunteers worked through the weekend with tarpaulins and borrowed scaffolding to keep the electronics dry.",
		"The charity that runs the station said repairs would cost more than it raises from the summer fete in a decade."},
	{"Archaeologists digging beneath the old customs house uncovered a medieval well lined with carved oak planks.",
		"The timber is so well preserved that tool marks from the carpenters who shaped it can still be seen clearly.",
		"Samples have been sent to a laboratory in the capital to date the wood by its growth rings before winter."},
	{"The ferry company announced that its winter timetable will drop the late crossing on weekdays from November.",
		"Islanders who commute to the mainland hospital for night shifts say they will have to sleep in their cars.",
		"A petition asking the regional transport board to subsidise the service gathered four thousand names in a day."},
	{"Students at the maritime college built a solar-powered boat that crossed the bay without a drop of diesel.",
		"Their teacher said the hull was moulded from recycled bottles collected on beach cleans over two summers.",
		"The team hopes to enter the boat in an international race for student engineers held in the Netherlands."},
}

// furnitureSite serves a feed of n stories whose pages all carry promo,
// and each its own paragraphs.
func furnitureSite(n int) (http.Handler, []string) {
	mux := http.NewServeMux()
	var links, uniques []string
	for i := range n {
		path := fmt.Sprintf("/story/%d", i)
		links = append(links, "{{base}}"+path)
		unique := fmt.Sprintf("Harbour note %d: the pilot boat logged %d calls this week.", i, 10+i)
		uniques = append(uniques, unique)
		story := stories[i%len(stories)]
		page := fmt.Sprintf(`<!doctype html><html><head><title>Story %[1]d</title></head><body>
<article><h1>Story %[1]d</h1>
<p>%[4]s</p>
<p>%[2]s</p>
<p>%[5]s</p>
<p>%[3]s</p>
<p>%[6]s</p>
</article></body></html>`, i, unique, promo, story[0], story[1], story[2])
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
		})
	}
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssOf("http://"+r.Host, links...))
	})
	return mux, uniques
}

// learningHarness is newHarness with one item in flight at a time, so that
// pages are made in feed order, and furniture learning set as asked.
func learningHarness(t *testing.T, handler http.Handler, learn bool) *harness {
	h := newHarness(t, handler)
	allow, err := netguard.ParseAllowlist(strings.TrimPrefix(h.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	h.p = New(Config{
		Store: h.st, Fetcher: fetch.New(fetch.Config{Allow: allow, Timeout: 5 * time.Second, PerHostGap: -1}),
		Concurrency: 1, KeepRaw: true, LearnFurniture: learn,
		Now: h.clock.Now, Rand: rand.New(rand.NewPCG(1, 2)),
	})
	return h
}

// TestFurnitureIsDroppedAtIngestAndByReprocess: a site whose every page
// carries the same promo. Ingest drops it once the host has shown it on
// enough pages; reprocess, which learns every stored page first, drops it
// from the first pages too. A paragraph on one page only always stays, and
// with learning off nothing is dropped.
func TestFurnitureIsDroppedAtIngestAndByReprocess(t *testing.T) {
	const pages = 6
	for _, learn := range []bool{true, false} {
		t.Run(fmt.Sprintf("learn=%v", learn), func(t *testing.T) {
			handler, uniques := furnitureSite(pages)
			h := learningHarness(t, handler, learn)
			h.addFeed("/feed.xml")
			if sum := h.poll(); sum.NewArticles != pages {
				t.Fatalf("stored %d new articles, want %d (%+v)", sum.NewArticles, pages, sum)
			}
			// withPromo: how many articles must still carry the promo.
			check := func(stage string, withPromo int) {
				t.Helper()
				arts := h.articles()
				if len(arts) != pages {
					t.Fatalf("%s: %d articles, want %d", stage, len(arts), pages)
				}
				carry := 0
				for _, a := range arts {
					var i int
					if _, err := fmt.Sscanf(a.URL[strings.LastIndex(a.URL, "/")+1:], "%d", &i); err != nil {
						t.Fatalf("%s: article URL %q: %v", stage, a.URL, err)
					}
					if !strings.Contains(a.Text, uniques[i]) {
						t.Errorf("%s: story %d lost its own paragraph %q:\n%s", stage, i, uniques[i], a.Text)
					}
					if strings.Contains(a.Text, promo) {
						carry++
					}
				}
				if !learn {
					withPromo = pages
				}
				if carry != withPromo {
					t.Errorf("%s: %d articles carry the promo, want %d", stage, carry, withPromo)
				}
			}
			// The page counts itself: the third page made is the first
			// whose host has shown the promo on DefaultMinPages (3) pages.
			check("ingest", 2)
			if got, want := h.p.FurnitureDropped(), map[bool]int64{true: pages - 2, false: 0}[learn]; got != want {
				t.Errorf("FurnitureDropped after ingest = %d, want %d", got, want)
			}
			rep, err := h.p.Reprocess(context.Background(), nil, "")
			if err != nil {
				t.Fatal(err)
			}
			if rep.Pages != pages || rep.Failed != 0 || rep.Merged != 0 {
				t.Errorf("reprocess: %+v, want %d pages, none failed or merged", rep, pages)
			}
			check("reprocess", 0)
		})
	}
}
