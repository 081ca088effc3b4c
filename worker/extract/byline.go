package extract

import (
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Bylines and date lines in the page's text, for pages whose metadata
// names no author or day. They are gathered during the analysis walk and
// read only once the article is known, because the same lines in a
// sidebar, a teaser list or a comment belong to other articles.

// lineCandidate is a short line of text that may credit the article's
// author or print its day.
type lineCandidate struct {
	idx  int32 // element record the line starts in
	text string
}

// maxCandidates bounds the lines kept of each kind; the article's own sit
// among the first on nearly every page.
const maxCandidates = 24

// strongMarkers introduce an author's name in any byline, so that a single
// name ("Posted by Konstantin") is taken; after the weak markers ("By",
// "Von", "Par", "Por", "Di", "Door"), which also start ordinary sentences
// and place names, it takes a first and a last name.
var strongMarkers = []string{"posted by", "written by", "words by", "story by", "verfasst von",
	"geschrieben von", "publié par", "écrit par", "escrito por", "publicado por", "scritto da",
	"geschreven door", "autor:", "autorin:", "author:", "verfasser:", "auteur:", "autore:"}

var weakMarkers = []string{"by", "von", "par", "por", "di", "door"}

// authorLabels head a cell whose neighbour holds the author ("Autor" |
// "Peter Middel") or the marker set apart from the name ("By" | "Jane Roe").
var authorLabels = []string{"by", "von", "par", "por", "door", "autor", "autorin", "author", "verfasser",
	"auteur", "autore", "posted by", "written by"}

// nameLabels are the labels that say outright that a name follows.
var nameLabels = []string{"autor", "autorin", "author", "verfasser", "auteur", "autore"}

// dateLabels head a cell whose neighbour holds the publication day.
var dateLabels = []string{"datum", "date", "published", "veröffentlicht", "publié", "fecha", "data"}

// collectLines records element n (to become element record idx, with its
// class's flags) when it starts a byline, is a byline's or a date's
// label, or is a box named as a date. Only elements whose first words or
// class qualify have their text read.
func (m *metadata) collectLines(n *html.Node, idx int32, classFlags uint8) {
	if n.FirstChild == nil {
		return
	}
	if t := n.FirstChild; t.Type == html.TextNode && len(m.bylines) < maxCandidates {
		// Only the first bytes are looked at, and lower-cased, so that
		// the walk does not read the page's text twice.
		head := trimLeftBlank(t.Data)
		if len(head) > maxMarkerLen {
			head = head[:maxMarkerLen]
		}
		if head != "" && mayStartLine(head[0]) {
			if whole := strings.TrimSpace(t.Data); t.NextSibling == nil && len(whole) <= maxLabelLen {
				// The element's whole text may be a label for
				// its neighbour.
				if next := nextElement(n); next != nil {
					label := strings.TrimRight(strings.ToLower(whole), ":")
					if isOneOf(label, authorLabels) {
						m.addByline(idx, next, label+" ")
						return
					}
					if isOneOf(label, dateLabels) {
						m.addDateLine(idx, next)
						return
					}
				}
			}
			if startsByline(head) {
				m.addByline(idx, n, "")
				return
			}
		}
	}
	if len(m.dateLines) < maxCandidates {
		if classFlags&classDate != 0 {
			m.addDateLine(idx, n)
		}
	}
}

// trimLeftBlank drops the HTML blanks a text starts with.
func trimLeftBlank(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f') {
		i++
	}
	return s[i:]
}

// maxMarkerLen covers the longest byline marker; maxLabelLen the longest
// label ("veröffentlicht:").
const (
	maxMarkerLen = 24
	maxLabelLen  = 16
)

// mayStartLine reports a first byte that some marker or label starts with
// (either case; 0xC3 leads "é"), the cheap test made for every element.
func mayStartLine(b byte) bool {
	switch b | 0x20 {
	case 'a', 'b', 'd', 'e', 'f', 'g', 'p', 's', 'v', 'w':
		return true
	}
	return b == 0xC3
}

func (m *metadata) addByline(idx int32, n *html.Node, prefix string) {
	if text, ok := shortText(n, maxByline); ok {
		m.bylines = append(m.bylines, lineCandidate{idx: idx, text: prefix + text})
	}
}

func (m *metadata) addDateLine(idx int32, n *html.Node) {
	if text, ok := shortText(n, maxDateLine); ok {
		m.dateLines = append(m.dateLines, lineCandidate{idx: idx, text: text})
	}
}

// shortText returns the text of n when it is a line of at most max bytes.
// It stops reading at the first text past the bound, so a paragraph that
// happens to start like a byline costs no more than a line.
func shortText(n *html.Node, max int) (string, bool) {
	raw := 0
	var walk func(c *html.Node) bool
	walk = func(c *html.Node) bool {
		for ; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				// Runs of blanks collapse; count what is not blank.
				raw += len(strings.TrimSpace(c.Data))
				if raw > max {
					return false
				}
			case c.Type == html.ElementNode && !isInvisible(c.DataAtom):
				if !walk(c.FirstChild) {
					return false
				}
			}
		}
		return true
	}
	if !walk(n.FirstChild) {
		return "", false
	}
	t := textOf(n)
	return t, len(t) <= max
}

// startsByline reports text that begins, in any letter case, with a
// byline marker followed by more ("by Jane", "Von FOCUS").
func startsByline(text string) bool {
	if text == "" {
		return false
	}
	first := text[0] | 0x20
	for _, mk := range strongMarkers {
		if first == mk[0]|0x20 && hasPrefixFold(text, mk) {
			return true
		}
	}
	for _, mk := range weakMarkers {
		if first == mk[0] && hasPrefixFold(text, mk) && len(text) > len(mk) && (text[len(mk)] == ' ' || text[len(mk)] == ':') {
			return true
		}
	}
	return false
}

// hasPrefixFold is strings.HasPrefix in any letter case, without the
// allocation of lower-casing s: it runs for most elements of a page.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// namesDate reports a class naming its element the publication date
// ("entry-date", "_publishingdate", "post-date"); a modified date or a
// comment's is not the article's.
func namesDate(class string) bool {
	if class == "" {
		return false
	}
	found := false
	for _, tok := range strings.Fields(strings.ToLower(class)) {
		if strings.Contains(tok, "update") || strings.Contains(tok, "modif") || strings.Contains(tok, "comment") {
			if !strings.HasPrefix(tok, "updated") {
				return false
			}
			continue
		}
		if strings.Contains(tok, "date") || strings.Contains(tok, "publish") {
			found = true
		}
	}
	return found
}

// bylineLine reads the author's name from a line found in the text: a name
// after a marker, with a first and last name after a weak marker.
func bylineLine(line string) string {
	lower := strings.ToLower(strings.TrimSpace(line))
	strong := false
	for _, mk := range strongMarkers {
		strong = strong || strings.HasPrefix(lower, mk)
	}
	if f := strings.Fields(lower); len(f) > 0 {
		strong = strong || isOneOf(strings.TrimRight(f[0], ":"), nameLabels)
	}
	name := bylineName(line)
	if !strong && len(strings.Fields(name)) < 2 {
		return ""
	}
	return name
}

// articleByline returns the author named by the first byline near the
// article at best, or "".
func (p *page) articleByline(best int) string {
	for _, c := range p.meta.bylines {
		if !p.nearArticle(int(c.idx), best) {
			continue
		}
		if name := bylineLine(c.text); name != "" {
			return name
		}
	}
	return ""
}

// articleDate returns the first day printed in a date line near the
// article at best.
func (p *page) articleDate(best int) *time.Time {
	skipTo := int32(-1) // the end of a box that dates an update
	for _, c := range p.meta.dateLines {
		if c.idx < skipTo || !p.nearArticle(int(c.idx), best) {
			continue
		}
		if saysUpdated(c.text) {
			skipTo = c.idx + p.elems[c.idx].size
			continue
		}
		if t, ok := textDate(c.text); ok {
			return &t
		}
	}
	return nil
}

// updateWords mark a date line as the day of a revision, not of
// publication ("Aktualizacja: 05.05.2021", "Updated May 5, 2021").
var updateWords = []string{"update", "aktualisiert", "aktualizacja", "zaktualizowano", "mis à jour",
	"actualizado", "actualización", "aggiornato", "bijgewerkt", "geändert", "modified", "atualizado"}

func saysUpdated(line string) bool {
	lower := strings.ToLower(line)
	for _, w := range updateWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// nearDepth is how far above the article body a byline's box may sit: the
// body's header and footer share its parent or grandparent.
const nearDepth = 2

// nearArticle reports whether element record i lies in the article at best
// or in the boxes around it (its header with the title, byline and date,
// its footer), and outside any comment or teaser link.
func (p *page) nearArticle(i, best int) bool {
	if i < 0 || i >= len(p.elems) || best < 0 {
		return false
	}
	top := int32(best)
	for d := 0; d < nearDepth; d++ {
		up := p.elems[top].parent
		if up < 0 {
			break
		}
		if a := p.elems[up].n.DataAtom; a == atom.Body || a == atom.Html {
			break
		}
		top = up
	}
	if i < int(top) || i >= int(top)+int(p.elems[top].size) {
		return false
	}
	for a := int32(i); a > top; a = p.elems[a].parent {
		n := p.elems[a].n
		if a != int32(i) && n.DataAtom == atom.A {
			// A line inside a link is a teaser's, for another
			// article.
			return false
		}
		if strings.Contains(strings.ToLower(attr(n, "class")+" "+attr(n, "id")), "comment") {
			return false
		}
	}
	return true
}

// nextElement returns the element after n among its siblings.
func nextElement(n *html.Node) *html.Node {
	for c := n.NextSibling; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

func isOneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// fromArticleLines fills the author and the day the metadata left empty
// from the lines printed with the article at best.
func (p *page) fromArticleLines(r *Result, best int, base *url.URL) {
	if best < 0 {
		return
	}
	if r.Author == "" {
		if a := collapse(p.articleByline(best)); isPersonCredit(a, r.SiteName, base) {
			r.Author = a
		}
	}
	if r.Published == nil {
		r.Published = p.articleDate(best)
	}
}

// roleWords are job titles printed before a name in a byline ("Von
// FOCUS-Online-Experte Robin Tschöpe", "Senior Editor Jane Roe"); they
// are not part of it.
var roleWords = []string{"senior", "chief", "staff", "special", "editor", "writer", "reporter", "correspondent",
	"columnist", "journalist", "contributor", "experte", "expertin", "redakteur", "redakteurin",
	"korrespondent", "korrespondentin", "kolumnist", "kolumnistin", "reporterin", "journalistin",
	"gastautor", "gastautorin", "rédacteur", "rédactrice", "journaliste", "correspondant", "correspondante",
	"envoyé", "envoyée", "periodista", "corresponsal", "redactor", "redactora", "giornalista", "inviato",
	"inviata", "verslaggever", "redacteur", "correspondente"}

// isRoleWord reports a job title, also as the last part of a compound
// ("FOCUS-Online-Experte", "Wirtschaftsredakteur").
func isRoleWord(w string) bool {
	w = strings.ToLower(strings.TrimRight(w, ":,"))
	if i := strings.LastIndexByte(w, '-'); i >= 0 {
		w = w[i+1:]
	}
	for _, r := range roleWords {
		if w == r || len(r) >= 7 && strings.HasSuffix(w, r) {
			return true
		}
	}
	return false
}
