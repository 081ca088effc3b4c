package extract

import "golang.org/x/net/html/atom"

// maxLeadDistance bounds how far above the article body the headline's and
// the body's common container may sit for the text between them to count as
// the article's lead; further up, the two are in different parts of the page.
const maxLeadDistance = 6

// lead returns the prose blocks between the headline and the article body
// chosen by best. Templates often set the standfirst (the lead paragraph)
// in the article header, apart from the body and with a byline, date and
// share bar between them, so the body's box alone misses it.
func (p *page) lead(best int, inBoiler []bool) []int {
	// The body's ancestors, as far up as a lead may be looked for.
	ancestor := make(map[int32]bool)
	for a, d := int32(best), 0; a >= 0 && d <= maxLeadDistance; a, d = p.elems[a].parent, d+1 {
		ancestor[a] = true
	}
	start, common := p.leadScope(best, inBoiler, ancestor)
	if common < 0 {
		return nil
	}
	switch p.elems[common].n.DataAtom {
	case atom.Body, atom.Html:
		return nil
	}
	var out []int
	for j := start + 1; j < best; j++ {
		e := &p.elems[j]
		if inBoiler[j] || ancestor[int32(j)] || e.ownText*10 < e.text*9 || e.ownText < minLeadLength ||
			e.link*3 > e.text || blockWeight(e) <= 0 && !isLongSubheading(e) {
			continue
		}
		if p.inPicture(j, common) {
			continue
		}
		out = append(out, j)
	}
	return out
}

// inPicture reports whether element j sits in a figure, caption or picture
// box below the container top: picture captions are not the lead.
func (p *page) inPicture(j int, top int32) bool {
	for a := int32(j); a > top; a = p.elems[a].parent {
		e := &p.elems[a]
		if e.n.DataAtom == atom.Figure || isCaption(e.n) || isPictureBox(e) {
			return true
		}
	}
	return false
}

// minLeadLength keeps bylines, datelines and labels out of the lead.
const minLeadLength = 50

// isLongSubheading reports a subheading long enough to be a standfirst set
// in a heading element, as some templates do.
func isLongSubheading(e *elem) bool {
	return isHeading(e.n.DataAtom) && e.n.DataAtom != atom.H1 && e.ownText >= 100 && e.ownPunct > 0
}

// leadScope returns where the lead may start (after the headline) and the
// container it must share with the body: the headline's and the body's
// common ancestor, or, when the page has no usable <h1>, the <article>
// around the body.
func (p *page) leadScope(best int, inBoiler []bool, ancestor map[int32]bool) (start int, common int32) {
	h1 := -1
	for i := 0; i < best; i++ {
		// An <h1> that is all link is the site's logo or name, not
		// the headline.
		if e := &p.elems[i]; e.n.DataAtom == atom.H1 && !inBoiler[i] && (e.link == 0 || e.link < e.text) {
			h1 = i
		}
	}
	if h1 >= 0 {
		for a := p.elems[h1].parent; a >= 0; a = p.elems[a].parent {
			if ancestor[a] {
				return h1, a
			}
		}
		return -1, -1
	}
	for a := p.elems[best].parent; a >= 0 && ancestor[a]; a = p.elems[a].parent {
		if p.elems[a].n.DataAtom == atom.Article {
			return int(a), a
		}
	}
	return -1, -1
}
