package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// Class and id names are the one place where page authors label their own
// structure. These are the generic words templates use for page furniture and
// for article bodies; they are structural vocabulary, not text of any page.
var (
	negativeHints = []string{
		"comment", "share", "sharing", "social", "related", "recommend",
		"newsletter", "subscri", "cookie", "consent", "gdpr", "banner",
		"sidebar", "widget", "footer", "masthead", "breadcrumb", "pagination",
		"pager", "promo", "advert", "sponsor", "popup", "modal", "overlay",
		"tagcloud", "taglist", "byline", "author", "avatar", "copyright",
		"toolbar", "login", "signup", "register", "rating", "poll",
		"outbrain", "taboola", "disqus", "readmore", "read-more",
		"popular", "mostread", "most-read", "trending", "navigation", "navbar",
		"menu", "skip", "follow", "donat", "shop", "cta", "carousel",
		"slider", "gallery-nav", "jump", "toc", "meta", "credit", "rights",
		"embed", "keywords", "topics", "breaking", "ticker", "nav",
	}
	// Short names matched as whole tokens only: as substrings they occur
	// inside innocent words ("head", "loader", "stage").
	negativeTokens = []string{"next", "prev", "ad", "ads", "tags", "more", "links", "aside", "extra", "info"}
	positiveHints  = []string{
		"article", "content", "entry", "story", "post", "text", "body",
		"main", "blog", "detail",
	}
)

// classWeight scores an element's class and id: negative for furniture,
// positive for article containers, zero when unlabelled. A furniture word
// wins over an article word: "related-posts" and "post-comments" are
// furniture, while a true article wrapper with an unlucky name is rescued by
// the prose it holds (see page.sum).
func classWeight(n *html.Node) int {
	s := attr(n, "class") + " " + attr(n, "id")
	if len(s) <= 1 {
		return 0
	}
	// "commentary" is an opinion article, not a comment section.
	s = strings.ReplaceAll(strings.ToLower(s), "commentary", "opinion")
	if containsAny(s, negativeHints) || hasToken(s, negativeTokens) {
		return -1
	}
	if containsAny(s, positiveHints) {
		return 1
	}
	return 0
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// hasToken reports whether one of the words of s (split at anything that is
// not a letter or digit) equals one of tokens.
func hasToken(s string, tokens []string) bool {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isWordByte(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w := s[start:i]
			for _, t := range tokens {
				if w == t {
					return true
				}
			}
			start = -1
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

// isHidden reports elements the browser does not show.
func isHidden(n *html.Node) bool {
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
		return true
	}
	st := attr(n, "style")
	if st == "" {
		return false
	}
	st = strings.ToLower(strings.ReplaceAll(st, " ", ""))
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}
