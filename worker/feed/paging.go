package feed

import (
	"strings"

	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// pagingLinks returns the RFC 5005 rel="next" and rel="prev-archive" links:
// Atom <link> elements, atom:link inside RSS, and JSON Feed's next_url.
func pagingLinks(original any, feedURL string) (next, prevArchive string) {
	var links []relLink
	switch f := original.(type) {
	case *atom.Feed:
		for _, l := range f.Links {
			if l != nil {
				links = append(links, relLink{l.Rel, l.Href})
			}
		}
	case *rss.Feed:
		// gofeed files atom:link under the prefix of the namespace it knows.
		for _, prefix := range []string{"atom", "atom10", "atom03"} {
			for _, l := range f.Extensions[prefix]["link"] {
				links = append(links, relLink{l.Attrs["rel"], l.Attrs["href"]})
			}
		}
	case *json.Feed:
		return resolve(feedURL, strings.TrimSpace(f.NextURL)), ""
	}
	for _, l := range links {
		href := resolve(feedURL, strings.TrimSpace(l.href))
		switch strings.ToLower(strings.TrimSpace(l.rel)) {
		case "next":
			next = firstNonEmpty(next, href)
		case "prev-archive":
			prevArchive = firstNonEmpty(prevArchive, href)
		}
	}
	return next, prevArchive
}

type relLink struct{ rel, href string }

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
