package htmlparse

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text returns the text of a document without building its tree, a blank
// line at each paragraph, div or line break: the fallback for content that
// the Limits refuse. It holds no more than the text itself, and stops at a
// token longer than lim.Token.
func (lim Limits) Text(doc []byte) string {
	z := html.NewTokenizer(bytes.NewReader(doc))
	z.SetMaxBuf(lim.Token)
	var b strings.Builder
	brk := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			t := strings.Join(strings.Fields(string(z.Text())), " ")
			switch {
			case t == "":
			case b.Len() == 0:
			case brk:
				b.WriteString("\n\n")
			default:
				b.WriteByte(' ')
			}
			if t != "" {
				b.WriteString(t)
				brk = false
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.P, atom.Div, atom.Br, atom.Li, atom.H1, atom.H2, atom.H3, atom.Blockquote:
				brk = true
			}
		}
	}
}
