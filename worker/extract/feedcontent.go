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
	return p.render(0, p.inheritBoiler())
}

// IsFullText reports whether a feed item's cleaned content (FromFeedContent)
// holds the whole article extracted from its page (Result.Text), so that the
// feed copy may stand in for the page: it must be about as long and hold the
// article's first and last paragraphs. A summary or a teaser fails.
func IsFullText(feedText, articleText string) bool {
	feed, art := collapse(feedText), collapse(articleText)
	if art == "" || len(feed)*10 < len(art)*9 {
		return false
	}
	first, last := articleText, articleText
	if i := strings.Index(articleText, "\n\n"); i >= 0 {
		first = articleText[:i]
	}
	if i := strings.LastIndex(articleText, "\n\n"); i >= 0 {
		last = articleText[i+2:]
	}
	return strings.Contains(feed, collapse(first)) && strings.Contains(feed, collapse(last))
}
