package htmlcost

import (
	"strings"
	"testing"
)

var unlimited = Limits{Nodes: 1 << 40, Attrs: 1 << 40, Token: 1 << 30}

// FuzzNodes checks that the count Check refuses on never falls far below
// what html.Parse builds, whatever the markup: the tree of an accepted page
// is at most twice its budget.
func FuzzNodes(f *testing.F) {
	for _, seed := range []string{
		"<p><i>x<p><i>x", `<p><i class=a>x<p><i class=b>x`, "<b><p>x</b>y", "<a href=1>x<a href=2>y",
		"<table><tr><td><b>x<td>y</table>", "<svg><path/><a/></svg>x", "<template><i>x</template>y",
		"</br></p><!-- c --><!doctype html>", "<select><option><b>x</select>", "<math><mi><i>x",
		"<math><title><p><i>x<p><i>x", "<svg><foreignObject><b>x</foreignObject><style><i>y", "<svg><g><p><noscript><i>x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, page string) {
		if len(page) > 4096 || strings.Count(page, "<") > 400 {
			return // the parser's 512-deep refusal is extract's to handle
		}
		got, err := unlimited.Cost([]byte(page))
		if err != nil {
			return // refused: never parsed
		}
		want := parsedNodes(t, page)
		if want > 2*got {
			t.Fatalf("Nodes = %d, html.Parse builds %d for %q", got, want, page)
		}
	})
}
