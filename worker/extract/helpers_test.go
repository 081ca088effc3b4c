package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// mustFirstElement parses a fragment and returns its first element.
func mustFirstElement(t *testing.T, fragment string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(fragment))
	if err != nil {
		t.Fatal(err)
	}
	var found *html.Node
	forEach(doc, func(n *html.Node) bool {
		if found == nil && n.Type == html.ElementNode && n.Parent != nil && n.Parent.DataAtom == 0x0 {
			return true
		}
		if found == nil && n.Type == html.ElementNode && n.Parent != nil && n.Parent.Data == "body" {
			found = n
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no element in %q", fragment)
	}
	return found
}
