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
func (c hintCache) classWeight(n *html.Node) int {
	f := c.flags(attr(n, "class")) | c.flags(attr(n, "id"))
	switch {
	case f&hintNegative != 0:
		return -1
	case f&hintPositive != 0:
		return 1
	}
	return 0
}

const (
	hintNegative = 1 << iota
	hintPositive
)

// hintCache remembers the hint flags of each class or id value of a page:
// templates repeat the same few values thousands of times.
type hintCache map[string]uint8

func (c hintCache) flags(v string) uint8 {
	if v == "" {
		return 0
	}
	if f, ok := c[v]; ok {
		return f
	}
	// "commentary" is an opinion article, not a comment section.
	s := strings.ReplaceAll(strings.ToLower(v), "commentary", "opinion")
	var f uint8
	if negativeIndex.in(s) || hasToken(s, negativeTokens) {
		f |= hintNegative
	}
	if positiveIndex.in(s) {
		f |= hintPositive
	}
	c[v] = f
	return f
}

// substrings finds any of a fixed set of words inside a string in one pass,
// trying at each position only the words that start with that byte. It is
// built once and never modified.
type substrings [256][]string

var (
	negativeIndex = indexWords(negativeHints)
	positiveIndex = indexWords(positiveHints)
)

func indexWords(words []string) *substrings {
	var idx substrings
	for _, w := range words {
		idx[w[0]] = append(idx[w[0]], w)
	}
	return &idx
}

func (idx *substrings) in(s string) bool {
	for i := 0; i < len(s); i++ {
		for _, w := range idx[s[i]] {
			if strings.HasPrefix(s[i:], w) {
				return true
			}
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
