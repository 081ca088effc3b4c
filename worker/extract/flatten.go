package extract

import (
	"bytes"
	"errors"
	"io"

	"github.com/wiresift/wiresift/worker/htmlparse"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxNesting is how deep flatten lets elements nest. x/net/html refuses
// documents whose open-element stack passes 512; no real article needs a
// tenth of that, while hostile or broken pages nest thousands deep.
const maxNesting = 256

// parse builds the document tree within htmlparse.Default and room. A page
// nested too deep for the parser is flattened (tags below maxNesting
// dropped, their text kept) and parsed again, so only such pages pay for
// the extra pass.
func parse(page []byte, room htmlparse.Room) (*html.Node, error) {
	doc, err := htmlparse.Default.Parse(page, room)
	if !errors.Is(err, htmlparse.ErrTooDeep) {
		return doc, err
	}
	return htmlparse.Default.Parse(flatten(page), room)
}

// flatten returns page with every start and end tag below maxNesting levels
// removed; text and all other tokens are kept as they are.
func flatten(page []byte) []byte {
	out := make([]byte, 0, len(page))
	z := html.NewTokenizer(bytes.NewReader(page))
	depth := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				out = append(out, z.Raw()...)
			}
			return out
		}
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			if isVoid(atom.Lookup(name)) {
				break
			}
			depth++
			if depth > maxNesting {
				continue
			}
		case html.EndTagToken:
			depth--
			if depth >= maxNesting {
				continue
			}
			if depth < 0 {
				depth = 0
			}
		}
		out = append(out, z.Raw()...)
	}
}

// isVoid reports elements that have no end tag and so do not nest.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}
