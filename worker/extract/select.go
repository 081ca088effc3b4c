package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// inheritBoiler marks every element inside furniture as furniture. Records
// are in document order, so parents are settled before their children.
func (p *page) inheritBoiler() []bool {
	in := make([]bool, len(p.elems))
	for i := range p.elems {
		e := &p.elems[i]
		in[i] = e.boiler || e.parent >= 0 && in[e.parent]
	}
	return in
}

// best returns the index of the element whose subtree holds the most article
// weight, or -1 when the page has no text. Elements that declare themselves
// the article (<article>, <main>, itemprop=articleBody, article-like class)
// get a small bonus so that they win ties with anonymous wrappers.
func (p *page) best(inBoiler []bool) int {
	bestIdx, bestScore := -1, 0.0
	for i := range p.elems {
		e := &p.elems[i]
		if inBoiler[i] || e.weight <= 0 {
			continue
		}
		s := e.weight * (1 + 0.1*declaredBonus(e))
		if s > bestScore {
			bestIdx, bestScore = i, s
		}
	}
	if bestIdx >= 0 {
		bestIdx = p.widen(bestIdx, inBoiler)
	}
	return bestIdx
}

// widen moves from the chosen element up to an ancestor that holds clearly
// more prose for nearly the same weight. A long single paragraph can
// outscore its own article when the article box also carries a related
// list or a share bar; pruning inside the article removes those anyway.
func (p *page) widen(i int, inBoiler []bool) int {
	for {
		e := &p.elems[i]
		up := e.parent
		if up < 0 || inBoiler[up] {
			return i
		}
		a := &p.elems[up]
		switch a.n.DataAtom {
		case atom.Body, atom.Html:
			return i
		}
		if a.weight < e.weight*widenWeight || a.prose*10 < e.prose*widenProse {
			return i
		}
		i = int(up)
	}
}

// Widening thresholds: the ancestor keeps at least this share of the weight
// and has at least this many tenths of the prose.
const (
	widenWeight = 0.6
	widenProse  = 15
)

func declaredBonus(e *elem) float64 {
	b := 0.0
	switch e.n.DataAtom {
	case atom.Article, atom.Main:
		b++
	case atom.Body, atom.Html:
		return -0.5
	}
	if isStructuredBody(e.n) {
		b++
	}
	if e.class > 0 {
		b += 0.5
	}
	return b
}

// parts returns the blocks of the article around the chosen element best:
// best itself and the blocks like it beside it that hold prose of their own,
// in page order. Templates break a long article into several such blocks
// around ads, video players, embeds or newsletter boxes; the interruptions
// are furniture by their own numbers, but they keep the blocks' common
// parent from winning, so best alone is only one part.
//
// Blocks are alike when they share their tag and class. A block may sit in
// wrappers that hold nothing else (a grid's row and column): then the parts
// are the wrappers' siblings alike to the outermost wrapper that hold a
// block alike to best.
func (p *page) parts(best int, inBoiler []bool) []int {
	b := &p.elems[best]
	part := best
	for depth := 0; depth < maxPartWrappers; depth++ {
		up := p.elems[part].parent
		if up < 0 || inBoiler[up] || p.elems[up].text != b.text ||
			p.elems[up].n.DataAtom == atom.Body || p.elems[up].n.DataAtom == atom.Html {
			break
		}
		part = int(up)
	}
	up := p.elems[part].parent
	if up < 0 {
		return []int{best}
	}
	pe := &p.elems[part]
	var out []int
	for i := int(up) + 1; i < len(p.elems) && i < int(up)+int(p.elems[up].size); i += int(p.elems[i].size) {
		// i walks the children of up: each step skips a child's subtree.
		if i == part {
			out = append(out, best)
			continue
		}
		s := &p.elems[i]
		if inBoiler[i] || !alike(s, pe) && !(akin(s, pe) && isPlainProse(s)) || s.weight <= 0 || s.paras == 0 || s.link*2 > s.text || p.holdsHeadline(i) ||
			part != best && !p.holds(i, b) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// maxPartWrappers bounds how many wrappers around a part are looked through.
const maxPartWrappers = 4

// alike reports elements of the same tag and class.
func alike(a, b *elem) bool {
	return a.n.DataAtom == b.n.DataAtom && a.n.Data == b.n.Data && attr(a.n, "class") == attr(b.n, "class")
}

// akin reports blocks that differ only by a modifier: the same generic
// container (<div> or <section>), and the same first class word, which
// names the block ("text-block" in "text-block text-block--lead").
func akin(a, b *elem) bool {
	if !isGenericBox(a.n.DataAtom) || !isGenericBox(b.n.DataAtom) {
		return false
	}
	fa := firstWord(attr(a.n, "class"))
	return fa != "" && fa == firstWord(attr(b.n, "class"))
}

// firstWord returns the first space-separated word of s.
func firstWord(s string) string {
	s = strings.TrimLeft(s, htmlSpace)
	if i := strings.IndexAny(s, htmlSpace); i >= 0 {
		return s[:i]
	}
	return s
}

func isGenericBox(a atom.Atom) bool { return a == atom.Div || a == atom.Section }

// isPlainProse reports a box whose text is nearly all prose with few links:
// a part of an article, not a column of widgets that happens to share a
// grid's class word with it.
func isPlainProse(e *elem) bool {
	return e.prose*10 >= e.text*8 && e.link*10 <= e.text
}

// holds reports whether element i's subtree holds an element alike to b.
func (p *page) holds(i int, b *elem) bool {
	for j := i + 1; j < i+int(p.elems[i].size); j++ {
		if alike(&p.elems[j], b) {
			return true
		}
	}
	return false
}

// holdsHeadline reports whether element i holds an <h1>: a block with a
// headline of its own is another article (the next story a page loads
// below this one), not a part of this one.
func (p *page) holdsHeadline(i int) bool {
	for j := i; j < i+int(p.elems[i].size); j++ {
		if p.elems[j].n.DataAtom == atom.H1 {
			return true
		}
	}
	return false
}
