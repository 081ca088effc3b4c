package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no document crashes Parse, that errors name the feed
// URL, and that what it returns is valid UTF-8 with absolute or empty links.
func FuzzParse(f *testing.F) {
	fixtures, _ := filepath.Glob("testdata/*.*")
	for _, path := range fixtures {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b, "")
		}
	}
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"), "text/xml; charset=utf-16")
	const feedURL = "https://fuzz.example/feed"
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		got, err := Parse(body, contentType, feedURL)
		if err != nil {
			if !strings.Contains(err.Error(), feedURL) {
				t.Fatalf("error %q does not name the feed URL", err)
			}
			return
		}
		if !utf8.ValidString(got.Title) {
			t.Fatalf("feed title %q is not valid UTF-8", got.Title)
		}
		for _, it := range got.Items {
			if !utf8.ValidString(it.Title) || !utf8.ValidString(it.Content) {
				t.Fatalf("item %+v holds invalid UTF-8", it)
			}
		}
	})
}

func BenchmarkParseCorpusFeed(b *testing.B) {
	path := filepath.Join("..", "..", "..", "shared", "corpus", "dedup-dev", "feeds", "feed04.xml")
	body, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("corpus feed not available: %v", err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(body, "application/rss+xml", "http://127.0.0.1:8765/feeds/feed04.xml"); err != nil {
			b.Fatal(err)
		}
	}
}
