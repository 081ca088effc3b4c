package article

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
)

// pageFetcher serves testdata/stated/<name> for http://site.test/<name>.
type pageFetcher struct{ t *testing.T }

func (f pageFetcher) Get(_ context.Context, r fetch.Request) (*fetch.Response, error) {
	name := filepath.Base(r.URL)
	body, err := os.ReadFile(filepath.Join("testdata", "stated", name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, &fetch.StatusError{Code: 404, URL: r.URL}
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return &fetch.Response{URL: r.URL, Status: 200, Body: body, ContentType: "text/html; charset=utf-8"}, nil
}

func day(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// TestStatedMetadataWinsOverThePage: a news sitemap's title, date and
// language win over the page's, field by field; what it leaves out comes
// from the page, and a feed item (nothing stated) gives way to the page.
func TestStatedMetadataWinsOverThePage(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "stated", "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := CleanPage(body, "text/html; charset=utf-8", "http://site.test/page.html", nil)
	if err != nil {
		t.Fatal(err)
	}
	if page.Title == "" || page.Published == nil || page.Language == "" {
		t.Fatalf("fixture: the page must state a title, a date and a language, got %q %v %q", page.Title, page.Published, page.Language)
	}
	itemDate, newsDate := day("2026-04-30T00:00:00Z"), day("2026-05-01T07:00:00Z")
	news := &feed.Stated{Title: "Harbour strike ends", Language: "en", Published: newsDate}
	cases := []struct {
		name      string
		link      string
		item      feed.Item
		title     string
		published *time.Time
		language  string
		fetchErr  bool
	}{
		{"feed item: the page wins", "page.html",
			feed.Item{Title: "Feed headline", Published: itemDate}, page.Title, page.Published, page.Language, false},
		{"news sitemap: stated title, date and language win", "page.html",
			feed.Item{Title: "Harbour strike ends", Published: newsDate, Stated: news}, "Harbour strike ends", newsDate, "en", false},
		{"stated title only: date and language from the page", "page.html",
			feed.Item{Published: itemDate, Stated: &feed.Stated{Title: "Harbour strike ends"}}, "Harbour strike ends", page.Published, page.Language, false},
		{"blank stated title says nothing", "page.html",
			feed.Item{Stated: &feed.Stated{Title: "  ", Language: "en"}}, page.Title, page.Published, "en", false},
		{"page without title or date: stated values", "bare.html",
			feed.Item{Stated: news}, "Harbour strike ends", newsDate, "en", false},
		{"page without title or date, nothing stated: the item's", "bare.html",
			feed.Item{Title: "Feed headline", Published: itemDate}, "Feed headline", itemDate, "", false},
		{"page not fetched: stated values", "gone.html",
			feed.Item{Title: "Harbour strike ends", Stated: news}, "Harbour strike ends", newsDate, "en", true},
	}
	m := &Maker{Fetcher: pageFetcher{t}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := c.item
			it.Link = "http://site.test/" + c.link
			art, _, _ := m.Make(context.Background(), it)
			if art.Title != c.title {
				t.Errorf("title: want %q, got %q", c.title, art.Title)
			}
			if art.Published == nil || !art.Published.Equal(*c.published) {
				t.Errorf("published: want %v, got %v", c.published, art.Published)
			}
			if c.language != "" && art.Language != c.language {
				t.Errorf("language: want %q, got %q", c.language, art.Language)
			}
			if (art.FetchError != "") != c.fetchErr {
				t.Errorf("fetch error: want %v, got %q", c.fetchErr, art.FetchError)
			}
		})
	}
}
