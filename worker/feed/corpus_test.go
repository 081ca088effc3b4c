package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir locates ../shared beside the repository root (worker/feed is two
// levels down), skipping the test when a checkout has no shared material.
func sharedDir(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus not available at %s", dir)
	}
	return dir
}

// TestCorpusFeedsParseCompletely reads the dedup-dev RSS feeds: 482 items in
// 8 feeds (262 with full content:encoded, 220 summary only, per its README).
func TestCorpusFeedsParseCompletely(t *testing.T) {
	dir := sharedDir(t, "corpus/dedup-dev/feeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(files) != 8 {
		t.Fatalf("found %d feeds in %s, want 8", len(files), dir)
	}
	var total, withContent int
	for _, path := range files {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		feedURL := "http://127.0.0.1:8765/feeds/" + filepath.Base(path)
		f, err := Parse(body, "application/rss+xml", feedURL)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for i, it := range f.Items {
			if !strings.HasPrefix(it.Link, "http://127.0.0.1:8765/pages/p") || it.Title == "" || it.Published == nil {
				t.Errorf("%s item %d: link %q title %q published %v; want a page link, a title and a date", path, i, it.Link, it.Title, it.Published)
			}
			if it.Content != "" {
				withContent++
			}
		}
		total += len(f.Items)
	}
	if total != 482 || withContent != 262 {
		t.Errorf("got %d items, %d with content; want 482 and 262", total, withContent)
	}
}

// TestCorpusPagesAreNotFeeds runs Parse and Discover over 313 real news pages
// (12 in legacy charsets): each must be told apart from a feed, and every
// discovered feed URL must be absolute.
func TestCorpusPagesAreNotFeeds(t *testing.T) {
	dir := sharedDir(t, "corpus/extraction-dev/html")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Skipf("no pages in %s", dir)
	}
	advertising := 0
	for _, path := range files {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		pageURL := "https://page.example/" + filepath.Base(path)
		if _, err := Parse(body, "text/html", pageURL); !errors.Is(err, ErrNotFeed) {
			t.Errorf("%s: Parse error %v, want ErrNotFeed", path, err)
		}
		found := Discover(body, pageURL, nil)
		for _, u := range found {
			if !isWebURL(u) {
				t.Errorf("%s: discovered %q, want an absolute http(s) URL", path, u)
			}
		}
		if len(found) > 0 {
			advertising++
		}
	}
	t.Logf("%d of %d pages advertise at least one feed", advertising, len(files))
}
