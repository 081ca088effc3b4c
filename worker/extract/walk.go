package extract

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// attr returns the value of the attribute key on n, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n carries the attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// elemAttrs are the attributes the analysis reads of every element, found
// in one pass over them: the first of each name, as attr finds it.
type elemAttrs struct {
	class, id, itemprop, style, ariaHidden string
	hidden                                 bool // a hidden attribute
}

func readAttrs(n *html.Node) elemAttrs {
	var a elemAttrs
	var seen uint8
	for _, at := range n.Attr {
		var bit uint8
		var dst *string
		switch at.Key {
		case "class":
			bit, dst = 1, &a.class
		case "id":
			bit, dst = 2, &a.id
		case "itemprop":
			bit, dst = 4, &a.itemprop
		case "style":
			bit, dst = 8, &a.style
		case "aria-hidden":
			bit, dst = 16, &a.ariaHidden
		case "hidden":
			a.hidden = true
			continue
		default:
			continue
		}
		if seen&bit == 0 {
			seen |= bit
			*dst = at.Val
		}
	}
	return a
}

// forEach visits every node below root (root included) in document order,
// without recursion. When visit returns false the node's children are skipped.
// visit may detach the node it is given.
func forEach(root *html.Node, visit func(n *html.Node) bool) {
	if root == nil {
		return
	}
	stack := []*html.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		// Read the children before visit: it may detach n.
		last := n.LastChild
		if !visit(n) {
			continue
		}
		for c := last; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
}

// textOf returns the whitespace-collapsed text below n.
func textOf(n *html.Node) string {
	var w textWriter
	forEach(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			w.write(c.Data)
		}
		return c == n || c.Type != html.ElementNode || !isInvisible(c.DataAtom)
	})
	return w.String()
}

// isInvisible reports elements whose text is never shown as page text.
func isInvisible(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg,
		atom.Math, atom.Iframe, atom.Object, atom.Embed, atom.Canvas,
		atom.Title, atom.Select, atom.Option, atom.Textarea,
		atom.Button, atom.Input, atom.Datalist, atom.Audio, atom.Video,
		atom.Rt, atom.Rp: // ruby annotations would interleave the text they annotate
		return true
	}
	return false
}

// textWriter collapses runs of white space to one space as text is appended.
// Its room is kept across Reset, so that rendering paragraph after
// paragraph grows it once; String copies the text out at its size.
type textWriter struct {
	b         []byte
	pendSpace bool
}

func (w *textWriter) write(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
			w.pendSpace = true
			i++
			continue
		}
		if c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0 { // no-break space
			w.pendSpace = true
			i += 2
			continue
		}
		// Copy the whole run up to the next white space at once.
		j := i + 1
		for j < len(s) && !isSpaceStart(s, j) {
			j++
		}
		if w.pendSpace && len(w.b) > 0 {
			w.b = append(w.b, ' ')
		}
		w.pendSpace = false
		w.b = append(w.b, s[i:j]...)
		i = j
	}
}

// isSpaceStart reports whether white space (ASCII or a no-break space)
// starts at s[i].
func isSpaceStart(s string, i int) bool {
	switch s[i] {
	case ' ', '\n', '\t', '\r', '\f':
		return true
	case 0xC2:
		return i+1 < len(s) && s[i+1] == 0xA0
	}
	return false
}

func (w *textWriter) String() string { return string(w.b) }
func (w *textWriter) Len() int       { return len(w.b) }

// Reset empties the writer and keeps its room.
func (w *textWriter) Reset() {
	w.b = w.b[:0]
	w.pendSpace = false
}
