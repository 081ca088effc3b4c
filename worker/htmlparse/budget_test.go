package htmlparse

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func repeat(format string, n int) string {
	var b strings.Builder
	for i := range n {
		if strings.Contains(format, "%") {
			fmt.Fprintf(&b, format, i)
		} else {
			b.WriteString(format)
		}
	}
	return b.String()
}

// treeSize counts the nodes and attributes of a tree.
func treeSize(n *html.Node) (nodes, attrs int) {
	nodes, attrs = 1, len(n.Attr)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cn, ca := treeSize(c)
		nodes += cn
		attrs += ca
	}
	return nodes, attrs
}

// The shapes whose tree outgrows their bytes, and ordinary markup.
var shapes = []struct{ name, page string }{
	{"article", "<html><body><article><h1>T</h1>" + repeat(`<p>Some <a href="/x%d">linked</a> and <em>stressed</em> words.</p>`+"\n", 200) + "</article></body></html>"},
	{"reopened italics", repeat("<p><i>x", 2000)},
	{"reopened italics with distinct attributes", repeat(`<p><i class="c%d">x`, 300)},
	{"reopened mixed formatting", repeat("<p><b><i><u><s>x", 500)},
	{"misnested formatting (adoption agency)", repeat("<b><p>x</b>y", 500)},
	{"misnested formatting with furthest blocks", repeat("<a href=1><div><b><div><i><div>x</a>y", 50)},
	{"unclosed anchors", repeat(`<a href="/%d">x`, 500)},
	{"table cells", "<table>" + repeat("<tr><td><b>x<td><i>y", 500) + "</table>"},
	{"foster-parented text and formatting", "<table>" + repeat("<b>x<tr><td>y</b>", 300) + "</table>"},
	{"attributes merged into html and body", repeat(`<html a%d=1><body b%d=2>`, 300)},
	{"doctype, comments, frameset", "<!doctype html public \"-//W3C//DTD HTML 4.01//EN\"><!--a--><frameset><frame><!--b--></frameset><!--c-->"},
	{"self-closing formatting", repeat("<p><i/>x", 1000)},
	{"foreign content", repeat(`<svg><title><p><i>x</title><path d="M0"/></svg><math><mi><b>y`, 50)},
}

// TestCountIsExact: the parse accepts a page whose tree has exactly the
// limit's nodes and attributes, and refuses it at one fewer: the count is
// the tree's, by construction.
func TestCountIsExact(t *testing.T) {
	for _, tt := range shapes {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := unlimited.Parse([]byte(tt.page), nil)
			if err != nil {
				t.Fatal(err)
			}
			nodes, attrs := treeSize(doc)
			lim := Limits{Nodes: nodes, Attrs: attrs, Token: 1 << 20}
			if _, err := lim.Parse([]byte(tt.page), nil); err != nil {
				t.Fatalf("limits of exactly the tree (%d nodes, %d attributes): %v", nodes, attrs, err)
			}
			checkRefused(t, Limits{Nodes: nodes - 1, Attrs: attrs, Token: 1 << 20}, tt.page, "nodes")
			if attrs > 0 {
				checkRefused(t, Limits{Nodes: nodes, Attrs: attrs - 1, Token: 1 << 20}, tt.page, "attributes")
			}
		})
	}
}

func checkRefused(t *testing.T, lim Limits, page, what string) {
	t.Helper()
	_, err := lim.Parse([]byte(page), nil)
	var tc *TooComplexError
	if !errors.As(err, &tc) || tc.What != what || !errors.Is(err, ErrTooComplex) {
		t.Fatalf("Parse within %+v = %v, want a refusal over the %s limit", lim, err, what)
	}
	if !strings.Contains(err.Error(), what) {
		t.Fatalf("error %q does not name the limit %q", err, what)
	}
}

func TestParseRefusesPastEachLimit(t *testing.T) {
	lim := Limits{Nodes: 10_000, LargeFrom: 100_000, BytesPerNode: 32, Attrs: 1_000, Token: 8192}
	tests := []struct {
		name, page string
		what       string // "" means accepted
	}{
		{"ordinary", repeat("<p>Some <b>bold</b> text.</p>", 1000), ""},
		{"quadratic formatting", repeat(`<p><i class="c%d">x`, 200), "attributes"}, // each clone has its class
		{"quadratic formatting without attributes", repeat(`<p><b><i><u><s><em>x`, 1000), "nodes"},
		{"attribute bomb", "<div" + repeat(" a%d", 1001) + ">", "attributes"},
		{"attributes of cloned formatting", repeat(`<p><i class="c%d" id="i%d">x`, 40), "attributes"},
		{"one giant tag", "<div title=\"" + strings.Repeat("x", 9000) + "\">", "token bytes"},
		{"many plain elements", repeat("<span>x</span>", 6000), "nodes"},
		{"markup after a title in math is parsed as the parser sees it", "<math><title>" + repeat(`<p><i class="c%d">x`, 200), "attributes"},
		{"a plain title in svg", `<svg><title>Icon</title><path d="M0"/></svg>` + repeat("<p>text</p>", 10), ""},
		{"a large page may build one node per BytesPerNode", repeat("<p>"+strings.Repeat("word ", 20)+"</p>", 12_000), ""},
		{"but not more", repeat("<p>"+strings.Repeat("word ", 5)+"</p>", 12_000), "nodes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.what != "" {
				checkRefused(t, lim, tt.page, tt.what)
				return
			}
			if _, err := lim.Parse([]byte(tt.page), nil); err != nil {
				t.Fatalf("Parse = %v, want accepted", err)
			}
		})
	}
}

func TestTooDeepIsItsOwnError(t *testing.T) {
	_, err := Default.Parse([]byte(strings.Repeat("<div>", 600)), nil)
	if !errors.Is(err, ErrTooDeep) || errors.Is(err, ErrTooComplex) {
		t.Fatalf("Parse of 600 nested divs = %v, want ErrTooDeep", err)
	}
}

// manyAttrs is fifty attributes whose values differ from one element to
// the next (the %[1]d of repeat), so that no two are alike.
var manyAttrs = func() string {
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, " b%d=%%[1]d", i)
	}
	return b.String()
}()

// TestHostilePagesStayBounded: a 10 MB page of reopened formatting, which
// html.Parse turns into gigabytes, and one of reopened formatting with
// distinct attributes, cost the parse no more than its budget.
func TestHostilePagesStayBounded(t *testing.T) {
	tests := []struct {
		name, page string
		want       error
	}{
		{"10 MB of <p><i>x", strings.Repeat("<p><i>x", 10<<20/7), ErrTooComplex},
		{"reopened italics with many distinct attributes", repeat(`<p><i`+manyAttrs+`>x`, 300), ErrTooComplex},
		{"1 MB of distinct reopened italics", repeat(`<p><i class="c%d">x`, 1<<20/22), ErrTooDeep},
		{"1 MB of nested misnested formatting", repeat("<a href=1><div><b><div><i><div>x</a>y", 1<<20/38), ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Default.Parse([]byte(tt.page), nil)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse = %v, want %v", err, tt.want)
			}
			// 200,000 nodes of about 150 bytes each, their attributes, and
			// the tokenizer's buffer.
			const most = 80 << 20
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > most {
				t.Fatalf("the refused parse allocated %d MB, want at most %d MB", alloc>>20, most>>20)
			}
		})
	}
}

// TestCorpusPagesPass: no real page is refused by Default, and the room
// first guessed for a page holds the tree of nearly every page (a page
// past it grows its room).
func TestCorpusPagesPass(t *testing.T) {
	most, densest, pages, past := 0, 1e9, 0, 0
	for _, f := range corpusPages(t) {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Default.Parse(page, nil)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		nodes, _ := treeSize(doc)
		most = max(most, nodes)
		densest = min(densest, float64(len(page))/float64(nodes))
		pages++
		if nodes > Default.guess(len(page)) {
			past++
		}
	}
	t.Logf("%d pages, at most %d nodes (limit %d); densest page: one node per %.0f bytes; %d past the guess",
		pages, most, Default.Nodes, densest, past)
	if past*100 > pages {
		t.Errorf("%d of %d pages build more nodes than guessed for them: want at most 1%%", past, pages)
	}
}

func TestTextKeepsTheWordsWithoutATree(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"paragraphs", "<p>One <i>two</i></p><p>three</p>", "One two\n\nthree"},
		{"reopened formatting", repeat("<p><i>x", 3), "x\n\nx\n\nx"},
		{"empty", "<div><br></div>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Default.Text([]byte(tt.doc)); got != tt.want {
				t.Fatalf("Text = %q, want %q", got, tt.want)
			}
		})
	}
}
