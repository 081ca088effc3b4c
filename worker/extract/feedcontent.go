package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FromFeedContent cleans a feed item's HTML content (content:encoded, Atom
// content) into the same text form as Result.Text. Feed content is the
// article by definition, so no detection runs; only invisible elements,
// furniture and link-only blocks are left out.
func FromFeedContent(s string) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(string(sanitize([]byte(s)))), ctx)
	if err != nil {
		return ""
	}
	for _, n := range nodes {
		ctx.AppendChild(n)
	}
	p := analyse(ctx)
	return p.render(0, p.inheritBoiler())
}
