package pipeline

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/sitemap"
)

func child(name string, lastmod string) sitemap.Entry {
	e := sitemap.Entry{Loc: "http://news.test/" + name}
	if lastmod != "" {
		e.LastMod = sitemap.ParseDate(lastmod)
	}
	return e
}

func locs(es []sitemap.Entry) string {
	var s []string
	for _, e := range es {
		s = append(s, strings.TrimPrefix(e.Loc, "http://news.test/"))
	}
	return strings.Join(s, " ")
}

func TestChildSelection(t *testing.T) {
	index := []sitemap.Entry{
		child("2026-03", "2026-03-31T20:00:00Z"),
		child("pages", ""),
		child("news", "2026-05-03T08:00:00Z"),
		child("2026-04", "2026-04-30T20:00:00Z"),
	}
	var many []sitemap.Entry
	for i := 0; i < 15; i++ {
		many = append(many, child(fmt.Sprint(i), fmt.Sprintf("2026-05-%02dT00:00:00Z", i+1)))
	}
	at := func(s string) time.Time { return *sitemap.ParseDate(s) }
	cases := []struct {
		name string
		got  []sitemap.Entry
		want string
	}{
		{"First poll reads the newest child", pollChildren(index, time.Time{}), "news"},
		{"First poll of an undated index reads the first listed", pollChildren([]sitemap.Entry{child("a", ""), child("b", "")}, time.Time{}), "a"},
		{"Later poll reads children changed since", pollChildren(index, at("2026-04-30T00:00:00Z")), "news 2026-04"},
		{"Changed just before the last poll, within the slack", pollChildren(index, at("2026-05-03T08:30:00Z")), "news"},
		{"Nothing changed", pollChildren(index, at("2026-06-01")), ""},
		{"At most ten a poll, newest first", pollChildren(many, at("2026-04-01")), "14 13 12 11 10 9 8 7 6 5"},
		{"Backfill: all, newest first, undated last", backfillChildren(index, History{}), "news 2026-04 2026-03 pages"},
		{"Backfill -since skips children last changed before it", backfillChildren(index, History{Since: at("2026-04-10")}), "news 2026-04 pages"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := locs(c.got); got != c.want {
				t.Errorf("want %q, got %q", c.want, got)
			}
		})
	}
}

func TestOffHostURLsAreSaidOncePerSitemap(t *testing.T) {
	var logs bytes.Buffer
	p := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	body := []byte(`<urlset><url><loc>http://news.test/a</loc></url><url><loc>http://other.test/b</loc></url><url><loc>http://other.test/c</loc></url></urlset>`)
	for i := 0; i < 3; i++ {
		doc, err := p.readSitemap(body, "http://news.test/sitemap.xml")
		if err != nil || len(doc.Entries) != 1 || doc.OffHost != 2 {
			t.Fatalf("readSitemap: want 1 entry and 2 off-host, got %+v, %v", doc, err)
		}
	}
	if n := strings.Count(logs.String(), "other hosts"); n != 1 {
		t.Errorf("warnings about other hosts: want 1, got %d\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "ignored=2") || !strings.Contains(logs.String(), "first=http://other.test/b") {
		t.Errorf("warning: want the count and the first URL, got\n%s", logs.String())
	}
}
