package extract

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TestTemplateBodyIsParsedWithinTheBudget: an article body shipped as a
// template is kept only when the tree it builds is within htmlparse's
// budget; the page's own parse built it as a single text node.
func TestTemplateBodyIsParsedWithinTheBudget(t *testing.T) {
	tests := []struct {
		name     string
		template string
		parsed   bool
	}{
		{"ordinary template", `<p>The bridge opened on Monday.</p><p>Traffic was light.</p>`, true},
		{"distinct formatting elements past the node budget", reopened(400, 2_000), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := `<html><body><div itemprop="articleBody"><script type="text/template">` + tt.template + `</script></div></body></html>`
			doc, err := html.Parse(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			script := findAtom(doc, atom.Script)
			if script == nil {
				t.Fatal("no script element in the test page")
			}
			if got := templateBody(script) != nil; got != tt.parsed {
				t.Errorf("template parsed = %v, want %v", got, tt.parsed)
			}
		})
	}
}

func findAtom(n *html.Node, a atom.Atom) *html.Node {
	if n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findAtom(c, a); f != nil {
			return f
		}
	}
	return nil
}

// reopened is n paragraphs each opening one more formatting element with
// its own attributes, then paras paragraphs of text: each of them reopens
// all n (n stays under the parser's 512-deep stack), n × paras nodes.
func reopened(n, paras int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<p><i class="c%d">x`, i)
	}
	b.WriteString(strings.Repeat("<p>x", paras))
	return b.String()
}
