package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// metadata holds every metadata candidate the page offers; resolve picks.
type metadata struct {
	props     map[string]string // first value of each meta property/name, lower-case key
	titleTag  string
	h1        []string
	lang      string
	canonical string
	timeAttr  string // first <time datetime>
	byline    string // text of the first byline box
	// bylines and dateLines: short lines in the text that may credit
	// the author or print the day, read once the article is known.
	bylines, dateLines []lineCandidate
	itemprops          map[string]string
	ld                 ldData
}

// collect records what element n, to become element record idx, says about
// the page; classFlags are its class's flags (hintCache.flags). It is called
// for every element in the analysis walk, so it returns at once for
// uninteresting ones.
func (m *metadata) collect(n *html.Node, idx int32, classFlags uint8, itemprop string) {
	switch n.DataAtom {
	case atom.Html:
		if m.lang == "" {
			m.lang = attr(n, "lang")
		}
	case atom.Meta:
		key := attr(n, "property")
		if key == "" {
			key = attr(n, "name")
		}
		if key == "" {
			key = attr(n, "http-equiv")
		}
		if key == "" {
			key = attr(n, "itemprop")
		}
		m.setProp(strings.ToLower(key), attr(n, "content"))
	case atom.Link:
		if m.canonical == "" && hasToken(strings.ToLower(attr(n, "rel")), []string{"canonical"}) {
			m.canonical = strings.TrimSpace(attr(n, "href"))
		}
	case atom.Title:
		// The first <title>, in the head or, when stray output before
		// the head pushed it there, in the body (SVG titles are gone
		// with the SVG).
		if m.titleTag == "" {
			m.titleTag = textOf(n)
		}
	case atom.Script:
		if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
			m.ld.parse(n.FirstChild.Data)
		}
	case atom.H1:
		if len(m.h1) < 4 {
			m.h1 = append(m.h1, textOf(n))
		}
	case atom.Time:
		if m.timeAttr == "" {
			m.timeAttr = attr(n, "datetime")
		}
	}
	if itemprop != "" && n.DataAtom != atom.Meta {
		m.setItemprop(itemprop, n)
	}
	if m.byline == "" && isBylineBox(n, classFlags) {
		if t := textOf(n); len(t) <= maxByline {
			m.byline = t
		}
	}
	m.collectLines(n, idx, classFlags)
}

// lowerASCII appends s to dst with ASCII letters lower-cased.
func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// maxByline bounds the text of a byline box.
const maxByline = 160

// isBylineBox reports an element that names itself a byline (its class's
// flags say so), or a link marked as the author's.
func isBylineBox(n *html.Node, classFlags uint8) bool {
	if n.DataAtom == atom.A && hasToken(strings.ToLower(attr(n, "rel")), []string{"author"}) {
		return true
	}
	return classFlags&classByline != 0
}

func (m *metadata) setProp(key, val string) {
	val = strings.TrimSpace(val)
	if key == "" || val == "" {
		return
	}
	if m.props == nil {
		m.props = make(map[string]string, 32)
	}
	if _, ok := m.props[key]; !ok {
		m.props[key] = val
	}
}

func (m *metadata) setItemprop(key string, n *html.Node) {
	switch key {
	case "author", "datePublished", "name", "headline":
	default:
		return
	}
	if m.itemprops == nil {
		m.itemprops = make(map[string]string, 4)
	}
	if _, ok := m.itemprops[key]; ok {
		return
	}
	v := attr(n, "content")
	if v == "" {
		v = attr(n, "datetime")
	}
	if v == "" {
		v = textOf(n)
	}
	if v = strings.TrimSpace(v); v != "" {
		m.itemprops[key] = v
	}
}

// prop returns the first non-empty value among the meta keys.
func (m *metadata) prop(keys ...string) string {
	for _, k := range keys {
		if v := m.props[k]; v != "" {
			return v
		}
	}
	return ""
}
