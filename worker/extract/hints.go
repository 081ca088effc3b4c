package extract

import (
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

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
		"slider", "gallery-nav", "jump", "toc", "credit", "rights",
		"embed", "keywords", "topics", "breaking", "ticker", "nav",
		"infobox", "info-box", "factbox", "fact-box",
	}
	// Short names matched as whole tokens only: as substrings they occur
	// inside innocent words ("head", "loader", "stage").
	negativeTokens = []string{"next", "prev", "ad", "ads", "tags", "aside", "seo"}
	// Weak furniture names: boxes of extra information are as often the
	// article's own (a recipe's steps in "step-info", a data box) as
	// furniture, so these words yield to clean prose (see page.sum).
	weakTokens    = []string{"more", "links", "extra", "info"}
	positiveHints = []string{
		"article", "content", "entry", "story", "post", "text", "body",
		"main", "blog", "detail",
	}
)

// classHint scores an element's class and id: negative for furniture,
// positive for article containers, zero when unlabelled. A furniture word
// wins over an article word: "related-posts" and "post-comments" are
// furniture, while a true article wrapper with an unlucky name is rescued by
// the prose it holds (see page.sum). weak reports a negative weight that
// rests on weak words only.
// classFlags are the flags of n's class, which the analysis reads first
// (hintCache.flags), and id its id.
func (c hintCache) classHint(n *html.Node, classFlags uint8, id string) (w int, weak bool) {
	f := classFlags | c.flags(id)
	if n.DataAtom == 0 && strings.IndexByte(n.Data, '-') > 0 {
		// A custom element's name is the author's own label, like a
		// class: <site-navigation>, <related-articles>.
		f |= c.flags(n.Data)
	}
	switch {
	case f&hintNegative != 0:
		return -1, false
	case f&hintWeak != 0:
		return -1, true
	case f&hintPositive != 0:
		return 1, false
	}
	return 0, false
}

const (
	hintNegative = 1 << iota
	hintPositive
	hintWeak // a weak furniture word (weakTokens, "meta")
	// The metadata's marks, read of a class only (boxFlags).
	classByline // names a byline box
	classDate   // names a box of the publication date (namesDate)
)

// hintCache remembers the flags of each class or id value of a page, its
// hints and the metadata's marks: templates repeat the same few values
// thousands of times.
type hintCache map[string]uint8

func (c hintCache) flags(v string) uint8 {
	if v == "" {
		return 0
	}
	if f, ok := c[v]; ok {
		return f
	}
	f := valueFlags(v)
	c[v] = f
	return f
}

// valueFlags reads one class or id value: its hints, read in the value
// lower-cased with "commentary" (an opinion article, not a comment
// section) read as "opinion", and the metadata's marks, read in the value
// with ASCII lower-cased only. Most values are lower-case ASCII without
// "commentary", where both readings are the value itself and one scan
// serves them.
func valueFlags(v string) uint8 {
	if isLowerASCII(v) && !strings.Contains(v, "commentary") {
		m := hintIndex.scan(v)
		return hintFlags(v, m) | boxFlags(v, m)
	}
	hintText := strings.ReplaceAll(strings.ToLower(v), "commentary", "opinion")
	var buf [128]byte
	boxText := string(lowerASCII(buf[:0], v))
	return hintFlags(hintText, hintIndex.scan(hintText)) | boxFlags(boxText, hintIndex.scan(boxText))
}

// isLowerASCII reports a string of ASCII without upper-case letters.
func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// hintFlags reads the hints in s, whose words scan found (marks).
func hintFlags(s string, marks uint8) uint8 {
	if marks&markNegative != 0 {
		// A furniture word wins over any article word.
		return hintNegative
	}
	var f uint8
	if marks&markPositive != 0 {
		f = hintPositive
	}
	negative, weak := hintTokens(s)
	switch {
	case negative:
		f |= hintNegative
	case weak || marks&markMeta != 0:
		f |= hintWeak
	}
	return f
}

// boxFlags reads the metadata's marks in a class: a byline box, a box of
// the publication date; marks are the words scan found in it.
func boxFlags(class string, marks uint8) uint8 {
	var f uint8
	if marks&markByline != 0 && marks&markComment == 0 {
		f |= classByline
	}
	if marks&(markDate|markPublish) != 0 && namesDate(class) {
		f |= classDate
	}
	return f
}

// The words scan finds: those of both hint lists, and the words the hints
// and the metadata look for beside them.
const (
	markNegative = 1 << iota // a word of negativeHints
	markPositive             // a word of positiveHints
	markMeta
	markByline
	markComment
	markDate
	markPublish
)

// hintWords finds the words scan looks for inside a string in one pass.
// Every word has two bytes or more, and few share their first two: a table
// of byte pairs names, for each position, the only words that can start
// there, which rules out nearly every position with one look-up. It is
// built once and never modified.
type hintWords struct {
	pair   [256][256]uint8 // group+1 of the words starting with these two bytes, 0 for none
	groups [][]hintWord
}

type hintWord struct {
	word  string
	marks uint8
}

var hintIndex = indexHints()

func indexHints() *hintWords {
	idx := new(hintWords)
	add := func(w string, marks uint8) {
		g := &idx.pair[w[0]][w[1]]
		if *g == 0 {
			idx.groups = append(idx.groups, nil)
			*g = uint8(len(idx.groups))
		}
		group := idx.groups[*g-1]
		for i := range group {
			if group[i].word == w {
				group[i].marks |= marks
				return
			}
		}
		idx.groups[*g-1] = append(group, hintWord{w, marks})
	}
	for _, w := range negativeHints {
		add(w, markNegative)
	}
	for _, w := range positiveHints {
		add(w, markPositive)
	}
	add("meta", markMeta)
	add("byline", markByline)
	add("comment", markComment)
	add("date", markDate)
	add("publish", markPublish)
	return idx
}

// scan returns the marks of the words found in s.
func (idx *hintWords) scan(s string) uint8 {
	var m uint8
	for i := 0; i < len(s)-1; i++ {
		g := idx.pair[s[i]][s[i+1]]
		if g == 0 {
			continue
		}
		for _, w := range idx.groups[g-1] {
			if strings.HasPrefix(s[i:], w.word) {
				m |= w.marks
			}
		}
	}
	return m
}

// hintTokens reports whether one of the words of s is one of
// negativeTokens, and whether one is one of weakTokens.
func hintTokens(s string) (negative, weak bool) {
	for w := range words(s) {
		if slices.Contains(negativeTokens, w) {
			return true, weak
		}
		weak = weak || slices.Contains(weakTokens, w)
	}
	return false, weak
}

// hasToken reports whether one of the words of s equals one of tokens.
func hasToken(s string, tokens []string) bool {
	for w := range words(s) {
		if slices.Contains(tokens, w) {
			return true
		}
	}
	return false
}

// words yields the words of s, split at anything that is not a letter or
// digit (s is a lower-case class or id value).
func words(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := -1
		for i := 0; i <= len(s); i++ {
			if i < len(s) && isWordByte(s[i]) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 {
				if !yield(s[start:i]) {
					return
				}
				start = -1
			}
		}
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

// isHidden reports elements the browser does not show.
func isHidden(n *html.Node) bool {
	at := readAttrs(n)
	return at.hide()
}

// hide reports whether the attributes hide their element.
func (at *elemAttrs) hide() bool {
	if at.hidden || at.ariaHidden == "true" {
		return true
	}
	st := at.style
	if st == "" {
		return false
	}
	st = strings.ToLower(strings.ReplaceAll(st, " ", ""))
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}
