package htmlparse

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// unlimited lets every tree of the tests' inputs be built.
var unlimited = Limits{Nodes: 1 << 40, Attrs: 1 << 40, Token: 1 << 30}

// render is a tree as html.Render writes it, or the parse error.
func render(t testing.TB, nodes []*html.Node, err error) string {
	t.Helper()
	if err != nil {
		return "error: " + err.Error()
	}
	var b bytes.Buffer
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			return "render error: " + err.Error()
		}
		b.WriteString("\x00") // fragment nodes apart
	}
	return b.String()
}

// checkSame parses page with html.Parse (or ParseFragment, with context)
// and with this package, and fails when the trees render differently.
func checkSame(t testing.TB, name string, page []byte, context *html.Node) {
	t.Helper()
	var want, got string
	var wantNodes, gotNodes []*html.Node
	if context == nil {
		doc, err := html.Parse(bytes.NewReader(page))
		want = render(t, []*html.Node{doc}, err)
		mine, err := unlimited.Parse(page, nil)
		got = render(t, []*html.Node{mine}, err)
		if doc != nil && mine != nil {
			wantNodes, gotNodes = []*html.Node{doc}, []*html.Node{mine}
		}
	} else {
		nodes, err := html.ParseFragment(bytes.NewReader(page), context)
		want = render(t, nodes, err)
		mine, err := unlimited.ParseFragment(page, context, nil)
		got = render(t, mine, err)
		wantNodes, gotNodes = nodes, mine
	}
	if got != want {
		t.Fatalf("%s: the fork's tree differs from x/net/html's for %.200q\nx/net/html: %.500q\nfork:       %.500q", name, page, want, got)
	}
	if want, got := dumpAll(wantNodes), dumpAll(gotNodes); got != want {
		t.Fatalf("%s: the fork's nodes differ from x/net/html's (atoms, namespaces) for %.200q\nx/net/html: %.500q\nfork:       %.500q", name, page, want, got)
	}
}

// dumpAll writes every field of the nodes that html.Render leaves out or
// folds (the atoms), node by node.
func dumpAll(nodes []*html.Node) string {
	var b strings.Builder
	var dump func(n *html.Node, depth int)
	dump = func(n *html.Node, depth int) {
		fmt.Fprintf(&b, "%d %d %d %q %q %q\n", depth, n.Type, n.DataAtom, n.Namespace, n.Data, n.Attr)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			dump(c, depth+1)
		}
	}
	for _, n := range nodes {
		dump(n, 0)
	}
	return b.String()
}

func xnetDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/net").Output()
	if err != nil {
		t.Skipf("cannot find golang.org/x/net's module directory: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// datCase is one test of html5lib's tree-construction format.
type datCase struct {
	data, context string
}

// readDat reads the #data (and #document-fragment) sections of a .dat file.
func readDat(t *testing.T, file string) []datCase {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []datCase
	var cur *datCase
	section := ""
	var data []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	flush := func() {
		if cur != nil {
			cur.data = strings.Join(data, "\n")
			cases = append(cases, *cur)
		}
	}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") && (line == "#data" || line == "#errors" || line == "#new-errors" ||
			line == "#document-fragment" || line == "#document" || line == "#script-on" || line == "#script-off") {
			if line == "#data" {
				flush()
				cur, data = &datCase{}, nil
			}
			section = line
			continue
		}
		switch section {
		case "#data":
			data = append(data, line)
		case "#document-fragment":
			cur.context = line
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func contextNode(s string) *html.Node {
	if s == "" {
		return nil
	}
	ns, name := "", s
	if i := strings.IndexByte(s, ' '); i >= 0 {
		ns, name = s[:i], s[i+1:]
	}
	return &html.Node{Type: html.ElementNode, Data: name, DataAtom: atom.Lookup([]byte(name)), Namespace: ns}
}

// TestSameTreeAsXNetOnHTML5Lib: on the html5lib tree-construction tests and
// x/net's own, shipped in the module, the fork builds html.Parse's trees.
func TestSameTreeAsXNetOnHTML5Lib(t *testing.T) {
	dir := xnetDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "html/testdata/html5lib-tests/tree-construction/*.dat"))
	more, _ := filepath.Glob(filepath.Join(dir, "html/testdata/go/*.dat"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Skip("no html5lib test data in the x/net module")
	}
	n := 0
	for _, f := range files {
		for i, c := range readDat(t, f) {
			checkSame(t, fmt.Sprintf("%s case %d", filepath.Base(f), i), []byte(c.data), contextNode(c.context))
			n++
		}
	}
	t.Logf("%d cases in %d files", n, len(files))
}

// TestSameTreeAsXNetOnTheCorpora: every page of the dev corpora.
func TestSameTreeAsXNetOnTheCorpora(t *testing.T) {
	files := corpusPages(t)
	for _, f := range files {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkSame(t, f, page, nil)
	}
}

func corpusPages(t testing.TB) []string {
	t.Helper()
	a, _ := filepath.Glob("../../../shared/corpus/extraction-dev/html/*.html")
	b, _ := filepath.Glob("../../../shared/corpus/dedup-dev/pages/*.html")
	if len(a)+len(b) == 0 {
		t.Skip("no corpus at ../shared/corpus")
	}
	return append(a, b...)
}

// FuzzSameTree: whatever the bytes, the fork builds html.Parse's tree (or
// fails as it does), as a document and as a fragment in a div.
func FuzzSameTree(f *testing.F) {
	for _, seed := range []string{
		"<p><i>x<p><i>x", `<p><i class=a>x<p><i class=b>x`, "<b><p>x</b>y", "<a href=1>x<a href=2>y",
		"<table><tr><td><b>x<td>y</table>", "<svg><path/><a/></svg>x", "<template><i>x</template>y",
		"</br></p><!-- c --><!doctype html>", "<select><option><b>x</select>", "<math><mi><i>x",
		"<math><title><p><i>x<p><i>x", "<svg><foreignObject><b>x</foreignObject><style><i>y",
		"<body a=1><body b=2><html c=3>", "<table>x<tr>y<td>z</table>", "<frameset><frame></frameset><!--x-->",
	} {
		f.Add(seed)
	}
	div := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	f.Fuzz(func(t *testing.T, page string) {
		checkSame(t, "document", []byte(page), nil)
		checkSame(t, "fragment", []byte(page), div)
	})
}

// TestForkIsOfTheRequiredXNet: the copied parser must be the one of the
// x/net that go.mod requires, or the two would build different trees. (A
// test binary's debug.ReadBuildInfo lists no dependencies, so go.mod is
// read.)
func TestForkIsOfTheRequiredXNet(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	version := ""
	for _, line := range strings.Split(string(mod), "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require"))
		if len(f) >= 2 && f[0] == "golang.org/x/net" {
			version = f[1]
		}
		if len(f) >= 1 && f[0] == "replace" && strings.Contains(line, "golang.org/x/net") {
			t.Fatalf("go.mod replaces golang.org/x/net (%s): check that worker/htmlparse copies that parser", line)
		}
	}
	if version == "" {
		t.Fatal("go.mod does not require golang.org/x/net")
	}
	if version != forkedFrom {
		t.Fatalf("go.mod requires golang.org/x/net %s, but worker/htmlparse copies the parser of %s: "+
			"re-sync it as its doc.go says (resync.sh), then set forkedFrom", version, forkedFrom)
	}
}
