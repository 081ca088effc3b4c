package sitemap

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func show(t *time.Time) string {
	if t == nil {
		return "nil"
	}
	return t.Format(time.RFC3339)
}

func TestParse(t *testing.T) {
	cases := []struct {
		name, file, from string
		kind             Kind
		locs             []string
		dates            []string // Entry.Date() of each
		offHost          int
	}{
		{"Urlset with other hosts, a relative URL and a bad date", "urlset.xml", "https://news.example/sitemap.xml", KindURLSet,
			[]string{"https://news.example/2026/05/harbour-strike", "https://news.example/2026/05/budget", "https://news.example/2026/05/relative"},
			[]string{"2026-05-01T07:30:00Z", "2026-05-02T00:00:00Z", "nil"}, 2},
		{"Gzip news sitemap", "news.xml.gz", "https://news.example/sitemap-news.xml.gz", KindURLSet,
			[]string{"https://news.example/world/ferry"}, []string{"2026-05-03T07:15:00Z"}, 0},
		{"Index", "index.xml", "https://news.example/sitemap.xml", KindIndex,
			[]string{"https://news.example/sitemap-2026-04.xml", "https://news.example/sitemap-news.xml.gz", "https://news.example/sitemap-pages.xml"},
			[]string{"2026-04-30T23:00:00Z", "2026-05-03T08:00:00Z", "nil"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := os.Open("testdata/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			doc, err := Parse(f, c.from)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var locs, dates []string
			for _, e := range doc.Entries {
				locs = append(locs, e.Loc)
				dates = append(dates, show(e.Date()))
			}
			if doc.Kind != c.kind || fmt.Sprint(locs) != fmt.Sprint(c.locs) || fmt.Sprint(dates) != fmt.Sprint(c.dates) || doc.OffHost != c.offHost {
				t.Errorf("want %s %v dated %v, %d off-host;\ngot  %s %v dated %v, %d off-host",
					c.kind, c.locs, c.dates, c.offHost, doc.Kind, locs, dates, doc.OffHost)
			}
		})
	}
}

func TestNewsFields(t *testing.T) {
	f, err := os.Open("testdata/news.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := Parse(f, "https://news.example/sitemap-news.xml.gz")
	if err != nil || len(doc.Entries) != 1 || doc.Entries[0].News == nil {
		t.Fatalf("Parse: want one news entry, got %+v, %v", doc, err)
	}
	n := doc.Entries[0].News
	if n.Title != "Ferry & port reopen" || n.Language != "de" || n.Site != "Example News" || show(n.Published) != "2026-05-03T07:15:00Z" {
		t.Errorf("news fields: got %+v published %s", n, show(n.Published))
	}
	if show(doc.Entries[0].LastMod) != "2026-05-03T08:00:00Z" {
		t.Errorf("lastmod beside news: got %s", show(doc.Entries[0].LastMod))
	}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		file string
		want bool
	}{{"urlset.xml", true}, {"news.xml.gz", true}, {"index.xml", true}, {"rss.xml", false}} {
		b, err := os.ReadFile("testdata/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		if got := Sniff(b); got != c.want {
			t.Errorf("Sniff(%s) = %v, want %v", c.file, got, c.want)
		}
	}
	for _, s := range []string{"", "<html><body>hi</body></html>", "{\"version\":\"https://jsonfeed.org/version/1.1\"}", "\x1f\x8bnot gzip"} {
		if Sniff([]byte(s)) {
			t.Errorf("Sniff(%q) = true, want false", s)
		}
	}
}

func TestParseRefusesOtherDocuments(t *testing.T) {
	b, _ := os.ReadFile("testdata/rss.xml")
	if _, err := Parse(strings.NewReader(string(b)), "https://news.example/feed"); !errors.Is(err, ErrNotSitemap) || !strings.Contains(err.Error(), "https://news.example/feed") {
		t.Errorf("Parse(RSS): want ErrNotSitemap naming the URL, got %v", err)
	}
}

// bigURLSet is a urlset of n URLs on news.example.
func bigURLSet(n int) string {
	var b strings.Builder
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<url><loc>https://news.example/a/%d</loc></url>\n", i)
	}
	b.WriteString("</urlset>")
	return b.String()
}

func TestLimits(t *testing.T) {
	doc, err := parse(strings.NewReader(bigURLSet(12)), "https://news.example/s.xml", 10, MaxBytes)
	if err != nil || len(doc.Entries) != 10 || !doc.Truncated {
		t.Errorf("12 URLs with a limit of 10: want the first 10 and Truncated, got %d, %v, %v", len(doc.Entries), doc.Truncated, err)
	}
	doc, err = parse(strings.NewReader(bigURLSet(10)), "https://news.example/s.xml", 10, MaxBytes)
	if err != nil || len(doc.Entries) != 10 || doc.Truncated {
		t.Errorf("10 URLs with a limit of 10: want all, not truncated, got %d, %v, %v", len(doc.Entries), doc.Truncated, err)
	}
	big := bigURLSet(100)
	if _, err := parse(strings.NewReader(big), "https://news.example/s.xml", MaxURLs, int64(len(big)/2)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a file over the byte limit: want ErrTooLarge, got %v", err)
	}
}

// The real limit: 50,000 URLs read, the 50,001st not, in bounded memory.
func TestProtocolURLLimit(t *testing.T) {
	doc, err := Parse(strings.NewReader(bigURLSet(MaxURLs+5)), "https://news.example/s.xml")
	if err != nil || len(doc.Entries) != MaxURLs || !doc.Truncated {
		t.Errorf("want %d entries and Truncated, got %d, %v, %v", MaxURLs, len(doc.Entries), doc.Truncated, err)
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2026-05-03T07:15:00Z", "2026-05-03T07:15:00Z"},
		{"2026-05-03T07:15:00.123+01:00", "2026-05-03T06:15:00Z"},
		{"2026-05-03T07:15+02:00", "2026-05-03T05:15:00Z"},
		{"2026-05-03", "2026-05-03T00:00:00Z"},
		{"2026-05", "2026-05-01T00:00:00Z"},
		{"2026-05-03 07:15:00", "2026-05-03T07:15:00Z"},
		{" 2026 ", "2026-01-01T00:00:00Z"},
		{"", "nil"},
		{"yesterday", "nil"},
	} {
		if got := show(ParseDate(c.in)); got != c.want {
			t.Errorf("ParseDate(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
