package extract

import "golang.org/x/net/html/atom"

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
	return bestIdx
}

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
