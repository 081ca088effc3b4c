package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// The page's own summary of its article, its JSON-LD articleBody or its
// description, usually opens with the article's first words. When the
// element chosen by weight holds none of them and an element elsewhere
// does, the weights picked the wrong block (a cookie notice outweighing a
// short post, a byline box): the summary names the article.

// summaryProbe returns the opening words of the page's summary of its
// article, or "" when it has too few to tell one block from another.
func (m *metadata) summaryProbe() string {
	for _, s := range []string{m.ld.body, m.prop("og:description"), m.prop("description"), m.prop("twitter:description")} {
		words := strings.Fields(s)
		if len(words) > probeWords {
			words = words[:probeWords]
		} else if len(words) > 0 {
			// A summary cut short ends in a clipped word.
			words = words[:len(words)-1]
		}
		probe := strings.Join(words, " ")
		if len(words) >= minProbeWords && utf8.RuneCountInString(probe) >= minProbeLength {
			return probe
		}
	}
	return ""
}

// Probe bounds: the summary's first words, enough of them to be unlikely
// anywhere but in the article.
const (
	probeWords     = 8
	minProbeWords  = 4
	minProbeLength = 25
)

// agreeWithSummary returns the element to take as the article instead of
// best, or best. text is what best gave. The summary's block must not be
// furniture, and the article is its heaviest ancestor below <body>.
func (p *page) agreeWithSummary(best int, in []bool, text string) int {
	probe := p.meta.summaryProbe()
	if probe == "" || strings.Contains(text, probe) {
		return best
	}
	end := best + int(p.elems[best].size)
	if !p.namedFurniture(best) && p.heaviestOutside(best, end, in)*2 < p.elems[best].weight {
		// No block outside could be taken instead (see below): spare
		// the search.
		return best
	}
	n := utf8.RuneCountInString(probe)
	for i := range p.elems {
		e := &p.elems[i]
		if in[i] || i >= best && i < end || e.ownText < n || e.ownLink*2 > e.ownText {
			continue
		}
		if !strings.Contains(textOf(e.n), probe) {
			continue
		}
		// The summary's block is found: its heaviest ancestor is the
		// article, unless that holds the chosen element or sits inside
		// it (then best was right, and the lead or pruning decided).
		c, w := -1, 0.0
		for a := int32(i); a >= 0 && !in[a]; a = p.elems[a].parent {
			if k := p.elems[a].n.DataAtom; k == atom.Body || k == atom.Html {
				break
			}
			if d := p.elems[a].weight; d > w {
				c, w = int(a), d
			}
		}
		if c < 0 || c <= best && best < c+int(p.elems[c].size) {
			return best
		}
		// The summary settles a close call, or one the weights made
		// against the box's own name for itself (furniture kept for its
		// share of the page's prose); it does not overturn a clear one.
		if w*2 < p.elems[best].weight && !p.namedFurniture(best) {
			return best
		}
		return p.widen(c, in)
	}
	return best
}

// namedFurniture reports whether element i or a box around it is named as
// furniture by its class or id, a name its numbers overruled.
func (p *page) namedFurniture(i int) bool {
	for a := int32(i); a >= 0; a = p.elems[a].parent {
		if p.elems[a].byClass {
			return true
		}
	}
	return false
}

// heaviestOutside returns the greatest weight of an element outside the
// subtree [best, end) and not around it, that is not furniture.
func (p *page) heaviestOutside(best, end int, in []bool) float64 {
	w := 0.0
	for i := 0; i < len(p.elems); i++ {
		if i == best {
			i = end - 1
			continue
		}
		e := &p.elems[i]
		if around := i < best && i+int(e.size) > best; !around && !in[i] && e.weight > w {
			w = e.weight
		}
	}
	return w
}
