package cli

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The paged archive: 300 items, 20 a page, over 15 pages, newest first.
const (
	archiveItems   = 300
	archivePerPage = 20
)

// archiveNewest is item 0's date; item i is i hours older.
var archiveNewest = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// pagedArchive serves the archive as an RFC 5005 paged feed (Atom,
// rel="next") at /atom.xml?page=N, as a WordPress feed at /feed/?paged=N
// (404 past the last page), and one article page per item at /a/N. When
// onArticle is set it is called with the number of article pages served.
type pagedArchive struct {
	*httptest.Server
	articles  atomic.Int32
	onArticle func(n int32)
}

func newPagedArchive(t *testing.T, onArticle func(n int32)) *pagedArchive {
	a := &pagedArchive{onArticle: onArticle}
	a.Server = httptest.NewServer(a)
	t.Cleanup(a.Close)
	return a
}

func (a *pagedArchive) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id, ok := strings.CutPrefix(r.URL.Path, "/a/"); ok {
		n, _ := strconv.Atoi(id)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, archiveArticle(n))
		if a.onArticle != nil {
			a.onArticle(a.articles.Add(1))
		}
		return
	}
	page := 1
	if v := r.URL.Query().Get("page") + r.URL.Query().Get("paged"); v != "" {
		page, _ = strconv.Atoi(v)
	}
	if page < 1 || page > archiveItems/archivePerPage {
		http.NotFound(w, r)
		return
	}
	switch r.URL.Path {
	case "/atom.xml":
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		fmt.Fprint(w, a.atomPage(page))
	case "/feed/":
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, a.wordpressPage(page))
	default:
		http.NotFound(w, r)
	}
}

func archiveDate(i int) time.Time { return archiveNewest.Add(-time.Duration(i) * time.Hour) }

func (a *pagedArchive) atomPage(page int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Paged archive</title><id>urn:archive</id><updated>%s</updated>`,
		archiveNewest.Format(time.RFC3339))
	if page < archiveItems/archivePerPage {
		fmt.Fprintf(&b, `<link rel="next" href="/atom.xml?page=%d"/>`, page+1)
	}
	for i := (page - 1) * archivePerPage; i < page*archivePerPage; i++ {
		fmt.Fprintf(&b, `<entry><title>Archive item %d</title><id>urn:archive:%d</id><link href="%s/a/%d"/><updated>%s</updated></entry>`,
			i, i, a.URL, i, archiveDate(i).Format(time.RFC3339))
	}
	b.WriteString(`</feed>`)
	return b.String()
}

func (a *pagedArchive) wordpressPage(page int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Paged archive</title><generator>https://wordpress.org/?v=6.5.2</generator>`)
	for i := (page - 1) * archivePerPage; i < page*archivePerPage; i++ {
		fmt.Fprintf(&b, `<item><title>Archive item %d</title><link>%s/a/%d</link><guid isPermaLink="false">%s/?p=%d</guid><pubDate>%s</pubDate></item>`,
			i, a.URL, i, a.URL, i, archiveDate(i).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// archiveArticle is item n's page. Its words are drawn at random from a
// vocabulary, so no two items share a run of words and dedup keeps all 300.
func archiveArticle(n int) string {
	words := strings.Fields(`minister harbour council budget river station festival vaccine railway
		election drought court verdict orchestra glacier union strike tariff satellite museum bridge
		flood senator wildfire harvest reactor treaty refinery stadium lawsuit airline pension curfew
		ferry mayor volcano embassy theatre bakery census pipeline merger protest island quarry`)
	r := rand.New(rand.NewPCG(uint64(n), 7))
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html><head><title>Archive item %d</title></head><body><nav><a href="/">Home</a></nav><article><h1>Archive item %d</h1>`, n, n)
	for p := 0; p < 4; p++ {
		b.WriteString("<p>")
		for w := 0; w < 30; w++ {
			b.WriteString(words[r.IntN(len(words))] + " ")
		}
		b.WriteString("today.</p>")
	}
	b.WriteString(`</article><footer>Archive footer</footer></body></html>`)
	return b.String()
}

// archivedItems returns the item numbers stored, checking that no item was
// stored twice (as two articles or two sources).
func archivedItems(t *testing.T, w workspace) map[int]bool {
	t.Helper()
	got := map[int]bool{}
	sources := 0
	for _, a := range w.export(t) {
		sources += len(a.Sources)
		n, err := strconv.Atoi(a.URL[strings.LastIndex(a.URL, "/")+1:])
		if err != nil {
			t.Fatalf("article URL %q is not an archive item", a.URL)
		}
		if got[n] {
			t.Errorf("item %d stored as two articles", n)
		}
		got[n] = true
	}
	if sources != len(got) {
		t.Errorf("%d sources for %d articles, want one each", sources, len(got))
	}
	return got
}

// wantNewest checks that exactly the n newest items were stored.
func wantNewest(t *testing.T, got map[int]bool, n int) {
	t.Helper()
	missing := 0
	for i := 0; i < n; i++ {
		if !got[i] {
			missing++
		}
	}
	if len(got) != n || missing > 0 {
		t.Errorf("stored %d items with %d of the newest %d missing; want exactly items 0-%d", len(got), missing, n, n-1)
	}
}

func TestBackfillFollowsPagedHistory(t *testing.T) {
	since := archiveDate(155).Format(time.RFC3339) // mid-page 8
	tests := []struct {
		name  string
		flags []string
		want  int // newest items stored
	}{
		{"whole history", nil, archiveItems},
		{"since cuts mid-page", []string{"-since", since}, 156},
		{"max pages", []string{"-max-pages", "4"}, 4 * archivePerPage},
		{"max pages 1 reads the feed only", []string{"-max-pages", "1"}, archivePerPage},
	}
	for _, style := range []string{"/atom.xml", "/feed/"} {
		for _, tc := range tests {
			t.Run(strings.Trim(style, "/")+"/"+tc.name, func(t *testing.T) {
				a := newPagedArchive(t, nil)
				w := newWorkspace(t, a.URL+style)
				w.mustRun(t, "backfill", append([]string{"-log-level", "warn"}, tc.flags...)...)
				wantNewest(t, archivedItems(t, w), tc.want)
			})
		}
	}
}

// A backfill cancelled part-way (as SIGINT past -grace does) and run again
// ends with every item stored exactly once.
func TestInterruptedBackfillRerunGivesEveryItemOnce(t *testing.T) {
	for _, style := range []string{"/atom.xml", "/feed/"} {
		t.Run(strings.Trim(style, "/"), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			a := newPagedArchive(t, func(n int32) {
				if n == 120 {
					cancel()
				}
			})
			w := newWorkspace(t, a.URL+style)
			var out, errb bytes.Buffer
			code := Main(ctx, testBuild(t), w.args("backfill", "-grace", "1ms", "-log-level", "warn"), strings.NewReader(""), &out, &errb)
			if code != exitOK {
				t.Fatalf("interrupted backfill exited %d, want %d\n%s", code, exitOK, errb.String())
			}
			first := len(archivedItems(t, w))
			if first == 0 || first >= archiveItems {
				t.Fatalf("interrupted backfill stored %d items, want some but not all %d", first, archiveItems)
			}
			w.mustRun(t, "backfill", "-log-level", "warn")
			wantNewest(t, archivedItems(t, w), archiveItems)
		})
	}
}

func TestBackfillRejectsBadHistoryFlags(t *testing.T) {
	w := newWorkspace(t)
	for _, flags := range [][]string{{"-since", "last tuesday"}, {"-max-pages", "0"}} {
		code, _, errOut := cliRun(t, w.args("backfill", flags...)...)
		if code != exitUsage || !strings.Contains(errOut, flags[0]) {
			t.Errorf("backfill %v: exit %d, stderr %q; want exit %d naming %s", flags, code, errOut, exitUsage, flags[0])
		}
	}
}

// A backfill killed outright (SIGKILL: no drain, no clean close) and run
// again ends with every item stored exactly once and an intact database.
func TestKilledBackfillRerunGivesEveryItemOnce(t *testing.T) {
	var proc atomic.Pointer[process]
	started := make(chan struct{})
	a := newPagedArchive(t, func(n int32) {
		if n == 120 {
			<-started
			proc.Load().cmd.Process.Kill()
		}
	})
	w := newWorkspace(t, a.URL+"/feed/")
	p := startProcess(t, w.args("backfill", "-log-level", "warn")...)
	proc.Store(p)
	close(started)
	if code := p.wait(t); code != -1 {
		t.Fatalf("backfill exited %d before it was killed\nstderr:\n%s", code, p.stderr.String())
	}
	integrityCheck(t, w.db)
	first := len(archivedItems(t, w))
	if first == 0 || first >= archiveItems {
		t.Fatalf("killed backfill stored %d items, want some but not all %d", first, archiveItems)
	}
	w.mustRun(t, "backfill", "-log-level", "warn")
	wantNewest(t, archivedItems(t, w), archiveItems)
}
