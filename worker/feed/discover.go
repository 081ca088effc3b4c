package feed

import (
	"mime"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/wiresift/wiresift/worker/htmlparse"
	"golang.org/x/net/html"
)

// feedTypes are the media types of <link rel="alternate"> that name a feed.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/rdf+xml":   true,
	"application/feed+json": true,
	"text/xml":              true,
	"application/xml":       true,
}

// Discover returns the feeds an HTML page advertises with
// <link rel="alternate" type="application/rss+xml|atom+xml|feed+json">, in
// document order, absolute (against <base href> when present, else pageURL)
// and without duplicates. Comment feeds (a title or URL naming comments, as
// WordPress gives every post) are listed after the others, so the first URL
// is the best guess for the site's own feed.
//
// Plain application/json is taken only when the link calls itself a feed:
// CMSs such as WordPress advertise their REST API answers with rel=alternate
// type=application/json, and those are not feeds.
//
// The page is parsed within discoverLimits and the room admit makes (nil:
// no budget); a page whose tree would outgrow its bytes, or that finds no
// room, advertises nothing.
func Discover(page []byte, pageURL string, admit htmlparse.Admit) []string {
	var root *html.Node
	release, err := discoverLimits.Within(len(page), admit, func(room htmlparse.Room) (err error) {
		root, err = discoverLimits.Parse(page, room)
		return err
	})
	if err != nil {
		return nil
	}
	defer release()
	doc := goquery.NewDocumentFromNode(root)
	base := pageURL
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		base = resolve(pageURL, strings.TrimSpace(href))
	}
	var found, comments []string
	seen := map[string]bool{}
	doc.Find("link[rel][href]").Each(func(_ int, s *goquery.Selection) {
		if !hasToken(s.AttrOr("rel", ""), "alternate") || !isFeedLink(s) {
			return
		}
		href := resolve(base, strings.TrimSpace(s.AttrOr("href", "")))
		if !isWebURL(href) || seen[href] {
			return
		}
		seen[href] = true
		if strings.Contains(strings.ToLower(s.AttrOr("title", "")+" "+href), "comment") {
			comments = append(comments, href)
			return
		}
		found = append(found, href)
	})
	return append(found, comments...)
}

func isFeedLink(s *goquery.Selection) bool {
	mediaType, _, err := mime.ParseMediaType(s.AttrOr("type", ""))
	if err != nil {
		return false
	}
	if feedTypes[mediaType] {
		return true
	}
	if mediaType != "application/json" {
		return false
	}
	hint := s.AttrOr("title", "")
	if u, err := url.Parse(s.AttrOr("href", "")); err == nil {
		hint += " " + u.Path // not the query: ?format=feed-free API answers exist too
	}
	return strings.Contains(strings.ToLower(hint), "feed")
}

// hasToken reports whether the space-separated list contains tok (rel="alternate home").
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// discoverLimits are htmlparse's without the allowance for large pages: a
// page given as a feed may be as large as a feed (20 MiB).
var discoverLimits = func() htmlparse.Limits {
	lim := htmlparse.Default
	lim.BytesPerNode = 0
	return lim
}()
