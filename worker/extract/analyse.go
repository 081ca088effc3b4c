package extract

import (
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/wiresift/wiresift/worker/htmlparse"
)

// elem is the per-element record of one analysis pass.
type elem struct {
	n      *html.Node
	parent int32 // index into page.elems, -1 for the root

	// Own inline text: the text whose nearest block ancestor is this element.
	ownText, ownLink, ownPunct int
	// ownStop: the own text ends with a sentence's closing mark.
	ownStop bool

	// Subtree totals, boilerplate subtrees included.
	text, link int
	prose      int     // inline text in blocks that read like prose
	weight     float64 // sum of block weights; boilerplate subtrees count against
	paras      int     // prose blocks
	listProse  int     // prose inside list items
	anchors    int     // <a href> elements
	blocks     int     // block elements, this one included
	images     int     // <img> elements
	size       int32   // element records in the subtree, this one included

	class  int
	boiler bool // furniture by tag, class/id or visibility
	// byClass: boiler only because of a class/id hint, which is a guess
	// that the element's own numbers may overrule.
	byClass bool
	// weakClass: the hint is a weak furniture word only (weakTokens).
	weakClass bool
}

// page is the analysed document.
type page struct {
	elems []elem
	meta  metadata
	// keepCaptions renders picture captions (Options.KeepCaptions).
	keepCaptions bool
	scratch      *scratch
}

// scratch is an analysis's working memory: the element table (hundreds to
// thousands of 128-byte records on a news page) and the class hint cache.
type scratch struct {
	elems []elem
	hints hintCache
	// The walk's stack and markTeaserLists' counts, grown once and
	// reused rather than allocated for every page.
	stack           []walkFrame
	children, cards []int32
	cardText        []int
}

// walkFrame is a node analyse has still to visit.
type walkFrame struct {
	n      *html.Node
	parent int32 // nearest element record
	block  int32 // nearest block element record
	inLink bool
}

// maxRecycledElems bounds the element tables kept for reuse (2 MB), so that
// one huge page is not held on to for the next ones.
const maxRecycledElems = 16384

// maxRecycledHints bounds the class hint caches kept for reuse.
const maxRecycledHints = 4096

// scratches recycles the working memory of finished analyses. A sync.Pool
// is a cache, not state: any scratch in it is as good as a new one.
var scratches = sync.Pool{New: func() any {
	return &scratch{elems: make([]elem, 0, 1024), hints: make(hintCache, 256)}
}}

// release hands the page's working memory back for the next analysis; the
// page must not be used afterwards.
func (p *page) release() {
	sc := p.scratch
	if sc == nil || cap(p.elems) > maxRecycledElems {
		return
	}
	// Drop the node pointers and names, or a recycled table would keep
	// the document alive.
	clear(p.elems)
	clear(sc.stack[:cap(sc.stack)])
	if cap(sc.stack) > maxRecycledElems {
		sc.stack = nil
	}
	if len(sc.hints) > maxRecycledHints {
		sc.hints = make(hintCache, 256)
	} else {
		clear(sc.hints)
	}
	sc.elems = p.elems[:0]
	p.elems, p.scratch = nil, nil
	scratches.Put(sc)
}

// analyse walks the document once: it gathers metadata from the head and
// from structured data, drops invisible elements, and measures every element.
// Call release when done with the page.
func analyse(doc *html.Node) *page {
	sc := scratches.Get().(*scratch)
	p := &page{elems: sc.elems[:0], scratch: sc}
	hints := sc.hints
	stack := append(sc.stack[:0], walkFrame{n: doc, parent: -1, block: -1})
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.n
		switch n.Type {
		case html.TextNode:
			if f.block >= 0 {
				l, punct := measure(n.Data)
				e := &p.elems[f.block]
				e.ownText += l
				e.ownPunct += punct
				if l > 0 {
					if t := trimRightBlank(n.Data); t != "" {
						e.ownStop = endsSentence(t)
					}
				}
				if f.inLink {
					e.ownLink += l
				}
			}
			continue
		case html.ElementNode:
			if nodes := templateBody(n); nodes != nil {
				// Put the rendered template in the script's place
				// and walk it instead.
				for _, c := range nodes {
					n.Parent.InsertBefore(c, n)
				}
				n.Parent.RemoveChild(n)
				for i := len(nodes) - 1; i >= 0; i-- {
					stack = append(stack, walkFrame{n: nodes[i], parent: f.parent, block: f.block, inLink: f.inLink})
				}
				continue
			}
			at := readAttrs(n)
			classFlags := hints.flags(at.class)
			p.meta.collect(n, int32(len(p.elems)), classFlags, at.itemprop)
			if isInvisible(n.DataAtom) {
				continue
			}
			idx := int32(len(p.elems))
			e := elem{n: n, parent: f.parent}
			e.class, e.weakClass = hints.classHint(n, classFlags, at.id)
			e.boiler = isFurniture(n.DataAtom) && n.DataAtom != atom.Form || at.hide()
			e.byClass = !e.boiler && (e.class < 0 || n.DataAtom == atom.Form) && at.itemprop != "articleBody" &&
				n.DataAtom != atom.Body && n.DataAtom != atom.Html && n.DataAtom != atom.Main
			p.elems = append(p.elems, e)
			f.parent = idx
			if !isInline(n.DataAtom) {
				f.block = idx
			}
			if n.DataAtom == atom.A {
				f.inLink = true
			}
		case html.DocumentNode:
		default:
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, walkFrame{n: c, parent: f.parent, block: f.block, inLink: f.inLink})
		}
	}
	sc.stack = stack
	p.sum()
	return p
}

// trimRightBlank is strings.TrimRight(s, htmlSpace+"\u00a0") byte by byte,
// without the rune-by-rune search of a cut set that is not all ASCII: it
// runs for every text node.
func trimRightBlank(s string) string {
	for len(s) > 0 {
		switch s[len(s)-1] {
		case ' ', '\t', '\n', '\f', '\r':
			s = s[:len(s)-1]
			continue
		case 0xA0: // the last byte of a no-break space, U+00A0
			if len(s) >= 2 && s[len(s)-2] == 0xC2 {
				s = s[:len(s)-2]
				continue
			}
		}
		return s
	}
	return s
}

// sum fills the subtree totals, children before parents: the records are in
// document order, so a reverse scan sees every child before its parent.
func (p *page) sum() {
	for i := len(p.elems) - 1; i >= 0; i-- {
		e := &p.elems[i]
		e.text += e.ownText
		e.link += e.ownLink
		e.size++
		if e.n.DataAtom == atom.A && hasAttr(e.n, "href") {
			e.anchors++
		}
		if !isInline(e.n.DataAtom) {
			e.blocks++
		}
		if e.n.DataAtom == atom.Img {
			e.images++
		}
		if blockWeight(e) > 0 {
			e.prose += e.ownText - e.ownLink
			e.paras++
		}
		if e.parent >= 0 {
			pe := &p.elems[e.parent]
			pe.text += e.text
			pe.link += e.link
			pe.anchors += e.anchors
			pe.blocks += e.blocks
			pe.images += e.images
			pe.size += e.size
			if !e.boiler {
				// Hidden and furniture prose is not the page's prose.
				pe.prose += e.prose
				pe.paras += e.paras
				if e.n.DataAtom == atom.Li {
					pe.listProse += e.prose
				} else {
					pe.listProse += e.listProse
				}
			}
		}
	}
	if len(p.elems) == 0 {
		return
	}
	// A class hint loses to the numbers: an element holding a large share
	// of the page's prose is the article's wrapper, whatever its class says
	// ("page has-sidebar", an ASP.NET page-wide <form>). A wrapper holds
	// paragraphs, not list items: a list of posts is a comment thread,
	// however long. A one-paragraph box is not refused for being one block:
	// many articles are a single block of text inside a hinted wrapper.
	total := p.elems[0].prose
	for i := range p.elems {
		e := &p.elems[i]
		if e.byClass && (e.prose*10 <= total*5 || e.listProse*2 > e.prose) && !(e.weakClass && isCleanProse(e)) {
			e.boiler = true
		}
	}
	p.markTeaserLists()
	p.weigh()
}

// weigh fills the article weights from the blocks and the furniture marks.
func (p *page) weigh() {
	for i := range p.elems {
		p.elems[i].weight = 0
	}
	for i := len(p.elems) - 1; i >= 0; i-- {
		e := &p.elems[i]
		w := blockWeight(e)
		if w < 0 {
			w *= noisePenalty
		}
		e.weight += w
		if e.boiler {
			// Furniture never counts for a candidate, whatever it holds.
			e.weight = -float64(e.text) * noisePenalty
		}
		if e.parent >= 0 {
			p.elems[e.parent].weight += e.weight
		}
	}
}

// noisePenalty is what one character of link or label text costs a
// candidate, relative to one character of prose gained. Below 1 because
// article containers routinely hold some furniture (share bars, related
// links) that the pruning inside the article removes anyway.
var noisePenalty = 0.3

// blockWeight weighs an element's own inline text: prose counts for the
// article, link text and short unpunctuated labels count against it.
func blockWeight(e *elem) float64 {
	l := e.ownText
	if l == 0 {
		return 0
	}
	if e.ownLink*2 > l {
		return -float64(l)
	}
	if isHeading(e.n.DataAtom) {
		return 0
	}
	if l < 40 && (e.ownPunct == 0 || !e.ownStop && !isItem(e.n.DataAtom)) {
		// A short line that does not end like a sentence is a label
		// ("Overview: Housing", "Berlin, 4 May"), whatever commas or
		// colons it holds; in table cells and list items such lines
		// are data ("Smith, Leeds 12,4 s").
		return -float64(l) / 2
	}
	return float64(l - e.ownLink)
}

// isStructuredBody reports elements that declare themselves the article body,
// which outranks any class-name guess.
func isStructuredBody(n *html.Node) bool {
	return attr(n, "itemprop") == "articleBody"
}

// measure returns the visible length of s in characters (runs of white space
// count as one) and the number of sentence punctuation marks in it.
func measure(s string) (length, punct int) {
	space := true
	for i := 0; i < len(s); {
		// One look-up sorts an ASCII byte, most of most texts.
		switch measureClass[s[i]] {
		case byteOther:
			i++
			length++
			space = false
			continue
		case byteSpace:
			i++
			if !space {
				length++
			}
			space = true
			continue
		case bytePunct:
			i++
			punct++
			length++
			space = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		length++
		space = false
		switch r {
		case '。', '、', '，', '！', '？', '；', '：', '…':
			// Full-width punctuation of CJK prose.
			punct++
		}
	}
	return length, punct
}

// The kinds of byte measure tells apart.
const (
	byteOther = iota // any other ASCII character
	byteSpace        // HTML white space
	bytePunct        // sentence punctuation
	byteWide         // a byte of a multi-byte character
)

// measureClass is the kind of each byte, built once and never modified.
var measureClass = func() (class [256]uint8) {
	for _, c := range " \n\t\r\f" {
		class[c] = byteSpace
	}
	for _, c := range ".,!?;:" {
		class[c] = bytePunct
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		class[c] = byteWide
	}
	return class
}()

// markTeaserLists marks lists of article cards ("related", "latest",
// "most read") as furniture. A card is a small box of several blocks that
// links elsewhere: image, kicker, headline, summary. The summaries read like
// prose and their links are often on images with no text, so neither prose
// weight nor link density betrays them; their repetition does.
func (p *page) markTeaserLists() {
	sc := p.scratch
	children := zeroed(sc.children, len(p.elems))
	cards := zeroed(sc.cards, len(p.elems))
	cardText := zeroed(sc.cardText, len(p.elems))
	sc.children, sc.cards, sc.cardText = children, cards, cardText
	for i := range p.elems {
		e := &p.elems[i]
		if e.parent < 0 || isInline(e.n.DataAtom) {
			continue
		}
		children[e.parent]++
		if e.anchors >= 1 && e.blocks >= 3 && e.text < 500 && e.text > 0 {
			cards[e.parent]++
			cardText[e.parent] += e.text
		}
	}
	for i := range p.elems {
		e := &p.elems[i]
		// The cards must be nearly all of the box, by count and by text:
		// a page wrapper also has a few small linked children.
		if cards[i] >= 3 && cards[i]*10 >= children[i]*7 && cardText[i]*10 >= e.text*8 &&
			!isStructuredBody(e.n) && e.n.DataAtom != atom.Body && e.n.DataAtom != atom.Main && e.n.DataAtom != atom.Article {
			p.elems[i].boiler = true
		}
	}
}

// zeroed returns n zeros in buf's room, or in new room when it has too
// little.
func zeroed[T int | int32](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// templateBody returns the parsed content of a script that holds the
// article body as an HTML template for the browser to render (Blogger's
// templates do this), or nil. Only a template whose parent declares itself
// the article body qualifies: templates elsewhere are widgets.
func templateBody(n *html.Node) []*html.Node {
	if n.DataAtom != atom.Script || n.Parent == nil || !isStructuredBody(n.Parent) ||
		!strings.Contains(strings.ToLower(attr(n, "type")), "text/template") || n.FirstChild == nil {
		return nil
	}
	src := n.FirstChild.Data
	if len(src) > maxTemplate {
		return nil
	}
	// The page's parse built the template as one text node: its tree is
	// held to the limits as the page's is.
	nodes, err := htmlparse.Default.ParseFragment([]byte(src), n.Parent, nil)
	if err != nil {
		return nil
	}
	return nodes
}

// maxTemplate bounds the template parsed as an article body.
const maxTemplate = 1 << 20

// isItem reports the elements of tables and lists, whose lines are data
// that need not be sentences.
func isItem(a atom.Atom) bool {
	switch a {
	case atom.Td, atom.Th, atom.Li, atom.Dd, atom.Dt, atom.Pre:
		return true
	}
	return false
}

// isCleanProse reports a box of prose without links: article text, whatever
// a weak class word says about it.
func isCleanProse(e *elem) bool {
	return e.link == 0 && e.prose >= 100 && e.prose*10 >= e.text*9 && e.n.DataAtom != atom.Form
}

// unhint drops the furniture marks that rest on class hints and weighs the
// page again. It is the way out when the hints leave no candidate at all:
// then they are the site's own words for its content (a forum's posts are
// "comments"), not furniture around an article. It reports whether any
// mark was dropped.
func (p *page) unhint() bool {
	changed := false
	for i := range p.elems {
		if e := &p.elems[i]; e.byClass && e.boiler {
			e.boiler, changed = false, true
		}
	}
	if changed {
		p.markTeaserLists()
		p.weigh()
	}
	return changed
}
