package robots

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const sample = `# news.example
User-agent: *
Disallow: /search
Disallow: /private/
Allow: /private/press-releases
Disallow: /*.pdf$
Crawl-delay: 2

User-agent: OtherBot
Disallow: /

User-agent: wiresift
User-agent: another
Disallow: /drafts/
Allow: /drafts/published
Crawl-delay: 1.5

Sitemap: https://news.example/sitemap.xml
Sitemap: https://news.example/news.xml.gz
`

func TestAllowed(t *testing.T) {
	star := Parse(strings.NewReader(sample), "somebot")
	mine := Parse(strings.NewReader(sample), "wiresift")
	cases := []struct {
		name  string
		rules *Rules
		path  string
		want  bool
	}{
		{"Star group: disallowed prefix", star, "/search?q=x", false},
		{"Star group: longer allow wins", star, "/private/press-releases/1", true},
		{"Star group: disallowed directory", star, "/private/memo", false},
		{"Star group: anchored wildcard", star, "/files/report.pdf", false},
		{"Star group: anchor not at end", star, "/files/report.pdf?x=1", true},
		{"Star group: not mentioned", star, "/world/story", true},
		{"Own group replaces star", mine, "/search", true},
		{"Own group: disallow", mine, "/drafts/x", false},
		{"Own group: longer allow", mine, "/drafts/published/x", true},
		{"Empty path is root", mine, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.rules.Allowed(c.path); got != c.want {
				t.Errorf("Allowed(%q) = %v, want %v", c.path, got, c.want)
			}
		})
	}
	if star.CrawlDelay != 2*time.Second || mine.CrawlDelay != 1500*time.Millisecond {
		t.Errorf("Crawl-delay: want 2s and 1.5s, got %v and %v", star.CrawlDelay, mine.CrawlDelay)
	}
	if len(mine.Sitemaps) != 2 || mine.Sitemaps[1] != "https://news.example/news.xml.gz" {
		t.Errorf("Sitemaps: got %v", mine.Sitemaps)
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"/", "/anything", true},
		{"/a*b", "/axxb/c", true},
		{"/a*b$", "/axxb", true},
		{"/a*b$", "/axxb/c", false},
		{"/*.gz$", "/s/x.xml.gz", true},
		{"/fish", "/Fish", false},
		{"/$", "/", true},
		{"/$", "/a", false},
	} {
		if got := match(c.pattern, c.path); got != c.want {
			t.Errorf("match(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestCacheFetchesOncePerSiteAndReadsStatus(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var calls atomic.Int32
	answers := map[string]func() (int, []byte, error){
		"http://ok.test/robots.txt":      func() (int, []byte, error) { return 200, []byte("User-agent: *\nDisallow: /no\n"), nil },
		"http://missing.test/robots.txt": func() (int, []byte, error) { return 404, nil, nil },
		"http://broken.test/robots.txt":  func() (int, []byte, error) { return 503, nil, nil },
		"http://down.test/robots.txt":    func() (int, []byte, error) { return 0, nil, errors.New("connection refused") },
	}
	c := NewCache(func(ctx context.Context, url string) (int, []byte, error) {
		calls.Add(1)
		return answers[url]()
	}, "wiresift", time.Hour, func() time.Time { return now })
	ctx := context.Background()
	for _, tc := range []struct {
		page string
		want bool
	}{
		{"http://ok.test/no/1", false},
		{"http://ok.test/yes", true},
		{"http://missing.test/no/1", true},
		{"http://broken.test/a", false},
		{"http://down.test/a", false},
	} {
		r, err := c.Rules(ctx, tc.page)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.URLAllowed(tc.page); got != tc.want {
			t.Errorf("%s allowed = %v, want %v", tc.page, got, tc.want)
		}
	}
	if calls.Load() != 4 {
		t.Errorf("fetches: want one per site (4), got %d", calls.Load())
	}
	now = now.Add(2 * time.Hour)
	if _, err := c.Rules(ctx, "http://ok.test/x"); err != nil || calls.Load() != 5 {
		t.Errorf("after the TTL: want a new fetch (5 in all), got %d, %v", calls.Load(), err)
	}
}
