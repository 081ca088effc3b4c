package htmlcost

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parsedNodes counts the nodes html.Parse really builds.
func parsedNodes(t testing.TB, page string) int {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return -1 // too deep for the parser; extract flattens such pages
	}
	n := 0
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		n++
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return n
}

func repeat(format string, n int) string {
	var b strings.Builder
	for i := range n {
		if strings.Contains(format, "%d") {
			fmt.Fprintf(&b, format, i)
		} else {
			b.WriteString(format)
		}
	}
	return b.String()
}

// The shapes whose tree outgrows their bytes, and ordinary markup: the count
// must never be below what the parser builds (it is what Check refuses on),
// and not far above it for ordinary pages.
func TestNodesBoundsTheParsersTree(t *testing.T) {
	tests := []struct {
		name  string
		page  string
		slack float64 // how far above the parser's count Nodes may be
	}{
		{"article", "<html><body><article><h1>T</h1>" + repeat(`<p>Some <a href="/x%d">linked</a> and <em>stressed</em> words.</p>`+"\n", 200) + "</article></body></html>", 1.2},
		{"reopened italics", repeat("<p><i>x", 2000), 1.2},
		{"reopened italics with distinct attributes", repeat(`<p><i class="c%d">x`, 300), 1.2},
		{"reopened mixed formatting", repeat("<p><b><i><u><s>x", 500), 1.2},
		{"misnested formatting", repeat("<b><p>x</b>y", 500), 2},
		{"unclosed anchors", repeat(`<a href="/%d">x`, 500), 2},
		{"table cells", "<table>" + repeat("<tr><td><b>x<td><i>y", 500) + "</table>", 2},
		{"lists and options", repeat("<ul><li><b>x<li>y</ul><dl><dt>a<dd>b</dl><select><option>o<option>p</select>", 300), 1.5},
		{"rows without cells closed", "<table>" + repeat("<tr><td>a<td><a href=x>b", 400) + "</table>", 2},
		{"self-closing formatting", repeat("<p><i/>x", 1000), 1.2},
		{"stray end tags", repeat("</p></i></div>x", 1000), 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := parsedNodes(t, tt.page)
			got := Nodes([]byte(tt.page))
			if got < want {
				t.Fatalf("Nodes = %d, parser builds %d: the count must not be lower", got, want)
			}
			if float64(got) > tt.slack*float64(want)+10 {
				t.Fatalf("Nodes = %d, parser builds %d: want at most %.1f times as many", got, want, tt.slack)
			}
		})
	}
}

func TestCheckRefusesPastEachLimit(t *testing.T) {
	lim := Limits{Nodes: 10_000, LargeFrom: 100_000, BytesPerNode: 32, Attrs: 1_000, Token: 8192}
	tests := []struct {
		name, page string
		what       string // "" means accepted
	}{
		{"ordinary", repeat("<p>Some <b>bold</b> text.</p>", 1000), ""},
		{"quadratic formatting", repeat(`<p><i class="c%d">x`, 200), "nodes"},
		{"attribute bomb", "<div" + repeat(" a%d", 1001) + ">", "attributes"},
		{"one giant tag", "<div title=\"" + strings.Repeat("x", 9000) + "\">", "token bytes"},
		{"many plain elements", repeat("<span>x</span>", 6000), "nodes"},
		{"markup after a title in math", "<math><title>" + repeat(`<p><i class="c%d">x`, 200), "markup in <title> inside svg or math"},
		{"markup after a script in svg", `<svg><script type="application/ld+json">` + repeat(`<p><i class="c%d">x`, 200), "markup in <script> inside svg or math"},
		{"a plain title in svg", `<svg><title>Icon</title><path d="M0"/></svg>` + repeat("<p>text</p>", 10), ""},
		{"markup in a title after an unclosed svg broken out of", `<svg><g><div>x</div><noscript><iframe src="/x"></iframe></noscript>`, ""},
		{"markup in a title in svg after foreignObject", `<svg><foreignObject><div>x</div></foreignObject><title>` + repeat(`<p><i class="c%d">x`, 200), "markup in <title> inside svg or math"},
		{"markup in a title after svg closed", `<svg><title>Icon</title></svg><noscript><iframe src="/x"></iframe></noscript>`, ""},
		{"a large page may build one node per BytesPerNode", repeat("<p>"+strings.Repeat("word ", 20)+"</p>", 12_000), ""},
		{"but not more", repeat("<p>"+strings.Repeat("word ", 5)+"</p>", 12_000), "nodes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lim.Check([]byte(tt.page))
			if tt.what == "" {
				if err != nil {
					t.Fatalf("Check = %v, want accepted", err)
				}
				return
			}
			var tc *TooComplexError
			if !errors.As(err, &tc) || tc.What != tt.what || !errors.Is(err, ErrTooComplex) {
				t.Fatalf("Check = %v, want a refusal over the %s limit", err, tt.what)
			}
			if !strings.Contains(err.Error(), tt.what) {
				t.Fatalf("error %q does not name the limit %q", err, tt.what)
			}
		})
	}
}

// No real page may be refused: the corpora's pages all pass Default, with
// their counts checked against the parser's.
func TestCorpusPagesPass(t *testing.T) {
	dirs := []string{"../../../shared/corpus/extraction-dev/html", "../../../shared/corpus/dedup-dev/pages"}
	seen, most := 0, 0
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.html"))
		for _, f := range files {
			page, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			seen++
			if err := Default.Check(page); err != nil {
				t.Errorf("%s: %v", f, err)
			}
			n := Nodes(page)
			most = max(most, n)
			if want := parsedNodes(t, string(page)); want > 0 && n < want {
				t.Errorf("%s: Nodes = %d, parser builds %d", f, n, want)
			}
		}
	}
	if seen == 0 {
		t.Skip("no corpus at ../shared/corpus")
	}
	t.Logf("%d pages, at most %d nodes (limit %d)", seen, most, Default.Nodes)
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

// BenchmarkCheckCorpus is the cost of the check on real pages, to compare
// with their extraction (go test ./worker/extract -bench Corpus).
func BenchmarkCheckCorpus(b *testing.B) {
	files, _ := filepath.Glob("../../../shared/corpus/extraction-dev/html/*.html")
	if len(files) == 0 {
		b.Skip("no corpus at ../shared/corpus")
	}
	var pages [][]byte
	size := 0
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, page)
		size += len(page)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		for _, p := range pages {
			if err := Default.Check(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestCountAttrsNeverCountsTooFew(t *testing.T) {
	tests := []struct {
		raw  string
		want int
	}{
		{"<p>", 0},
		{"<br/>", 0},
		{`<a href="/x y" class=c>`, 2},
		{`<img src='a>b' alt="" hidden>`, 3},
		{`<div data-a=1 data-b = 2/>`, 2},
		{`<a b"c d>`, 2},             // a quote opens a value only after "="
		{`<a x" a1 a2 a3 ">`, 5},     // so these are five keys, not one
		{`<a ="x y" z>`, 3},          // "=" starting a key is part of it
		{`<a b='x'c d>`, 3},          // a key right after a quoted value
		{`<a href=x/ y>`, 2},         // "/" inside an unquoted value
		{`<a b c=d e = "f>g" h>`, 4}, // ">" inside quotes
		{`<a b=c b=d>`, 2},           // repeated keys counted: never too few
		{"<i\nclass=a\tid=b>", 2},
	}
	for _, tt := range tests {
		if got := countAttrs([]byte(tt.raw)); got != tt.want {
			t.Errorf("countAttrs(%q) = %d, want %d", tt.raw, got, tt.want)
		}
	}
}

func TestOnlyLargePagesGetTheSizeAllowance(t *testing.T) {
	lim := Limits{Nodes: 1000, LargeFrom: 20_000, BytesPerNode: 4, Attrs: 1 << 20, Token: 1 << 20}
	para := "<p>word word</p>" // 16 bytes, 2 nodes
	if err := lim.Check([]byte(repeat(para, 1000))); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("16 kB page of 2,000 nodes under LargeFrom: %v, want refused at 1,000 nodes", err)
	}
	if err := lim.Check([]byte(repeat(para, 1500))); err != nil {
		t.Fatalf("24 kB page of 3,000 nodes over LargeFrom: %v, want accepted (one node per 4 bytes: 6,000)", err)
	}
}

// TestTagAtomIsTheTokenizersName: the name read from the raw tag is the
// one TagName gives, on every tag of crafted shapes and of the corpus pages.
func TestTagAtomIsTheTokenizersName(t *testing.T) {
	pages := []string{
		"<P><I CLASS=a>x</I></P>", "<a/b>", "<br/>", "<svg:path d=1>", "<DiV\tid=x>", "</P\n>", "<a\x00b>", "<i",
		"<foreignObject>", "<annotation-xml>", "<abcdefghijklmnopqrstuvwxyzabcdefghijklmnop>", "<Ｐ>", "<p\f>",
	}
	files, _ := filepath.Glob("../../../shared/corpus/extraction-dev/html/*.html")
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(page))
	}
	for _, page := range pages {
		z := html.NewTokenizer(strings.NewReader(page))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.EndTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			raw := string(z.Raw())
			got := tagAtom(z)
			name, _ := z.TagName()
			if want := atom.Lookup(name); got != want {
				t.Fatalf("tagAtom(%.60q) = %v, TagName gives %q (%v)", raw, got, name, want)
			}
		}
	}
}

// FuzzCountAttrs: the raw-tag count is never below the attributes the
// tokenizer reads from the same tag.
func FuzzCountAttrs(f *testing.F) {
	for _, seed := range []string{`<a b"c d>`, `<a ="x y" z>`, `<i a=1 b='2'c/d>`, "<p\fa=b\tc>", `<a =b ==c d= =e>`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, page string) {
		checkCountAttrs(t, page)
	})
}

func checkCountAttrs(t *testing.T, page string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		raw := string(z.Raw())
		if got, want := countAttrs([]byte(raw)), len(z.Token().Attr); got < want {
			t.Fatalf("countAttrs(%.80q) = %d, the tokenizer reads %d", raw, got, want)
		}
	}
}

func TestCountAttrsOnTheCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/*/*/*.html")
	if len(files) == 0 {
		t.Skip("no corpus at ../shared/corpus")
	}
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkCountAttrs(t, string(page))
	}
}
