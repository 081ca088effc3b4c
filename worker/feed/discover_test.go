package feed

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/htmlparse"
)

func TestDiscoverFindsAdvertisedFeeds(t *testing.T) {
	got := Discover(readFixture(t, "page-with-feeds.html"), "https://www.granitecity.example/world/index.html", nil)
	want := []string{
		"https://www.granitecity.example/world/feed/",
		"https://www.granitecity.example/world/atom.xml",
		"https://cdn.granitecity.example/world.json",
		"https://www.granitecity.example/world/index.json",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Discover:\n got %q\nwant %q", got, want)
	}
}

func TestDiscover(t *testing.T) {
	tests := []struct {
		name, html, pageURL string
		want                []string
	}{
		{"relative to the page without <base>",
			`<html><head><link rel="alternate" type="application/atom+xml" href="../feed.atom"></head></html>`,
			"https://a.example/news/today/", []string{"https://a.example/news/feed.atom"}},
		{"RSS link in body of a sloppy page",
			`<p>hi</p><link rel=alternate type=application/rss+xml href=/rss>`,
			"https://a.example/x", []string{"https://a.example/rss"}},
		{"comment feeds come last",
			`<link rel="alternate" type="application/rss+xml" title="Site » Story Comments Feed" href="/2024/05/story/feed/">
			<link rel="alternate" type="application/rss+xml" href="/comments/feed/">
			<link rel="alternate" type="application/rss+xml" title="Site » Feed" href="/feed/">`,
			"https://a.example/2024/05/story/", []string{"https://a.example/feed/", "https://a.example/2024/05/story/feed/", "https://a.example/comments/feed/"}},
		{"no feeds", `<html><head><link rel="stylesheet" href="s.css"></head></html>`, "https://a.example/", nil},
		{"not HTML at all", "\x00\x01binary", "https://a.example/", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Discover([]byte(tt.html), tt.pageURL, nil); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Discover = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDiscoverIgnoresPagesTooComplexToParse(t *testing.T) {
	page := `<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>` +
		strings.Repeat("<p><i>x", 200_000)
	if got := Discover([]byte(page), "https://news.example/", nil); got != nil {
		t.Fatalf("Discover = %v, want nothing from a page past the parse budget", got)
	}
	small := `<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>` + strings.Repeat("<p><i>x", 100)
	if got := Discover([]byte(small), "https://news.example/", nil); len(got) != 1 {
		t.Fatalf("Discover = %v, want the advertised feed", got)
	}
}

// heldRoom counts the rooms a test's admit holds.
type heldRoom struct{ held *int }

func (r heldRoom) Grow(int) bool { return true }
func (r heldRoom) Release()      { *r.held-- }

func TestDiscoverParsesInTheRoomAdmitted(t *testing.T) {
	page := []byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body><p>x</p>`)
	held, admitted := 0, 0
	admit := func(nodes, size int) (htmlparse.Room, error) {
		admitted++
		held++
		return heldRoom{&held}, nil
	}
	if got := Discover(page, "https://news.example/", admit); len(got) != 1 || admitted != 1 || held != 0 {
		t.Fatalf("Discover = %v, admitted %d times, %d rooms still held; want the feed, one room, released", got, admitted, held)
	}
	refuse := func(int, int) (htmlparse.Room, error) { return nil, errors.New("budget closed") }
	if got := Discover(page, "https://news.example/", refuse); got != nil {
		t.Fatalf("Discover without room = %v, want nothing", got)
	}
}
