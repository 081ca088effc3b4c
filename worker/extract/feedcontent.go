package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FromFeedContent cleans a feed item's HTML content (content:encoded, Atom
// content) into the same text form as Result.Text. Feed content is the
// article by definition, so no detection runs; only invisible elements,
// furniture and link-only blocks are left out.
func FromFeedContent(s string) string {
	if strings.Trim(s, htmlSpace) == "" {
		// Most items carry no content at all; the analysis would still
		// allocate its tables.
		return ""
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	clean := sanitize([]byte(s))
	nodes, err := html.ParseFragment(bytes.NewReader(clean), ctx)
	if err != nil {
		// Too deeply nested for the parser: see flatten.
		if nodes, err = html.ParseFragment(bytes.NewReader(flatten(clean)), ctx); err != nil {
			return ""
		}
	}
	for _, n := range nodes {
		ctx.AppendChild(n)
	}
	p := analyse(ctx)
	defer p.release()
	return p.render(0, p.inheritBoiler())
}

// htmlSpace is what HTML counts as white space between tags.
const htmlSpace = " \t\n\f\r"
