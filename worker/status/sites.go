package status

import (
	"net/url"
	"strings"

	"github.com/wiresift/wiresift/worker/store"
)

// distinctSites counts the sites an article was seen on: the hosts of its
// sources' page URLs (the feed's when a source has no page URL). Two feeds of
// one site (a section feed and the front-page feed) are one site, so this
// is the syndication count an editor means, not the number of feeds.
func distinctSites(sources []store.Source) int {
	hosts := map[string]bool{}
	for _, s := range sources {
		h := siteOf(s.URL)
		if h == "" {
			h = siteOf(s.FeedURL)
		}
		if h != "" {
			hosts[h] = true
		}
	}
	return len(hosts)
}

// siteOf is a URL's host without "www.", lower-cased, port kept (two servers
// on one address are two sites).
func siteOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Host), "www.")
}
