package cli

import (
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/feedlist"
)

// feedWant is a feed as a round trip must keep it.
type feedWant struct {
	url, name string
	tags      []string
}

func TestOPMLRoundTripThroughReaderExports(t *testing.T) {
	tests := []struct {
		file string
		want []feedWant
	}{
		{"miniflux-export.opml", []feedWant{
			{"https://feeds.bbci.co.uk/news/world/rss.xml", "BBC News - World", []string{"World"}},
			{"https://www.lemonde.fr/rss/une.xml", "Le Monde.fr - Actualités et Infos en France et dans le monde", []string{"World"}},
			{"https://www.carbonbrief.org/feed/", "Carbon Brief", []string{"Energy & Climate"}},
			{"https://www.utilitydive.com/feeds/news/?source=rss&format=full", "Utility Dive", []string{"Energy & Climate"}},
			{"https://hnrss.org/frontpage", "Hacker News: Front Page", []string{"All"}},
		}},
		{"freshrss-export.opml", []feedWant{
			{"https://www.theguardian.com/world/rss", "The Guardian – World news", []string{"Uncategorized"}},
			{"https://feeds.arstechnica.com/arstechnica/index", "Ars Technica - All content", []string{"Tech"}},
			{"https://www.heise.de/rss/heise-atom.xml", "heise online News", []string{"Tech"}},
			{"https://feeds.npr.org/1001/rss.xml", "NPR Topics: News", []string{"Wires"}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			src := filepath.Join("testdata", tc.file)
			w := newWorkspace(t)
			out := w.mustRun(t, "opml", "import", src)
			if want := fmt.Sprintf("imported %d feeds", len(tc.want)); !strings.Contains(out, want) {
				t.Errorf("import said %q, want %q", out, want)
			}

			exported := w.mustRun(t, "opml", "export")
			checkOPML20(t, exported)
			checkFeeds(t, "exported OPML", parseOPML(t, exported), tc.want)

			// The feeds file is the source of truth for poll and run, so
			// the import must have reached it too.
			f, err := os.Open(w.feeds)
			if err != nil {
				t.Fatal(err)
			}
			entries, errs := feedlist.Parse(f, w.feeds)
			f.Close()
			if len(errs) > 0 {
				t.Fatalf("feeds file written by import does not parse: %v", errs)
			}
			checkFeeds(t, "feeds file", entries, tc.want)

			// Importing the same file again adds nothing.
			if again := w.mustRun(t, "opml", "import", src); !strings.Contains(again, "imported 0 feeds") {
				t.Errorf("second import said %q, want 0 imported", again)
			}

			// What we export, another wiresift (or reader) imports to the same list.
			back := filepath.Join(t.TempDir(), "back.opml")
			if err := os.WriteFile(back, []byte(exported), 0o644); err != nil {
				t.Fatal(err)
			}
			w2 := newWorkspace(t)
			w2.mustRun(t, "opml", "import", back)
			if second := w2.mustRun(t, "opml", "export"); second != exported {
				t.Errorf("export after re-import differs\nfirst:\n%s\nsecond:\n%s", exported, second)
			}
		})
	}
}

func parseOPML(t *testing.T, doc string) []feedlist.Entry {
	t.Helper()
	entries, err := feedlist.ParseOPML(strings.NewReader(doc), "export")
	if err != nil {
		t.Fatalf("exported OPML does not parse: %v\n%s", err, doc)
	}
	return entries
}

// checkOPML20 checks the shape feed readers expect: an <opml version="2.0">
// root with a head title, and every feed outline with text, type and xmlUrl.
func checkOPML20(t *testing.T, doc string) {
	t.Helper()
	type outline struct {
		Text     string    `xml:"text,attr"`
		Type     string    `xml:"type,attr"`
		XMLURL   string    `xml:"xmlUrl,attr"`
		Children []outline `xml:"outline"`
	}
	var o struct {
		XMLName xml.Name  `xml:"opml"`
		Version string    `xml:"version,attr"`
		Title   string    `xml:"head>title"`
		Body    []outline `xml:"body>outline"`
	}
	if err := xml.Unmarshal([]byte(doc), &o); err != nil {
		t.Fatalf("export is not well-formed XML: %v\n%s", err, doc)
	}
	if o.Version != "2.0" || o.Title == "" {
		t.Errorf("export root: version %q, head title %q; want 2.0 and a title", o.Version, o.Title)
	}
	var walk func([]outline)
	walk = func(list []outline) {
		for _, ol := range list {
			if ol.Text == "" {
				t.Errorf("outline without text attribute (required by OPML 2.0): %+v", ol)
			}
			if ol.XMLURL != "" && ol.Type != "rss" {
				t.Errorf("feed outline %s has type %q, want rss", ol.XMLURL, ol.Type)
			}
			walk(ol.Children)
		}
	}
	walk(o.Body)
}

func checkFeeds(t *testing.T, where string, got []feedlist.Entry, want []feedWant) {
	t.Helper()
	byURL := map[string]feedlist.Entry{}
	for _, e := range got {
		byURL[e.URL] = e
	}
	if len(got) != len(want) {
		t.Errorf("%s has %d feeds, want %d: %+v", where, len(got), len(want), got)
	}
	for _, w := range want {
		e, ok := byURL[w.url]
		switch {
		case !ok:
			t.Errorf("%s lacks %s", where, w.url)
		case e.Name != w.name:
			t.Errorf("%s: %s name = %q, want %q", where, w.url, e.Name, w.name)
		case !slices.Equal(e.Tags, w.tags):
			t.Errorf("%s: %s tags = %q, want %q", where, w.url, e.Tags, w.tags)
		}
	}
}

// TestOPMLImportSkipsBadOutlinesAndImportsTheRest: a feed:// outline and
// one without a URL scheme are listed with their lines and skipped; the
// two good outlines are imported, into the feeds file and the database.
func TestOPMLImportSkipsBadOutlinesAndImportsTheRest(t *testing.T) {
	for _, withFile := range []bool{true, false} {
		t.Run(fmt.Sprintf("feeds file %v", withFile), func(t *testing.T) {
			dir := t.TempDir()
			opml := filepath.Join(dir, "subs.opml")
			os.WriteFile(opml, []byte(`<?xml version="1.0"?>
<opml version="2.0"><body>
<outline text="News">
  <outline text="Good one" xmlUrl="https://a.example/feed.xml"/>
  <outline text="Old scheme" xmlUrl="feed://b.example/rss"/>
  <outline text="Good two" xmlUrl="https://c.example/atom"/>
  <outline text="No scheme" xmlUrl="d.example/rss"/>
</outline>
</body></opml>
`), 0o644)
			feeds := ""
			if withFile {
				feeds = filepath.Join(dir, "feeds.txt")
				os.WriteFile(feeds, []byte("# mine\nhttps://z.example/rss\n"), 0o644)
			}
			db := filepath.Join(dir, "w.db")
			code, out, errOut := cliRun(t, "opml", "import", opml, "-db", db, "-feeds", feeds)
			if code != 0 {
				t.Fatalf("exit %d, want 0\n%s", code, errOut)
			}
			if !strings.Contains(out, "imported 2 feeds") || !strings.Contains(out, "2 outlines skipped") {
				t.Errorf("stdout %q: want 2 imported and 2 skipped", out)
			}
			for _, want := range []string{"skipped " + opml + ":5", "Old scheme", "skipped " + opml + ":7", "No scheme"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if strings.Contains(errOut, "feedlist:") {
				t.Errorf("stderr names a package:\n%s", errOut)
			}
			_, list, _ := cliRun(t, "feeds", "-db", db, "-format", "jsonl")
			for _, u := range []string{"https://a.example/feed.xml", "https://c.example/atom"} {
				if !strings.Contains(list, `"url":"`+u+`","name"`) || !strings.Contains(list, `"state":"active"`) {
					t.Errorf("feed %s not active in the database:\n%s", u, list)
				}
			}
			if strings.Contains(list, "b.example") || strings.Contains(list, "d.example") {
				t.Errorf("a skipped outline reached the database:\n%s", list)
			}
			if withFile {
				b, _ := os.ReadFile(feeds)
				want := "# mine\nhttps://z.example/rss\nhttps://a.example/feed.xml  name=\"Good one\"  tags=News\nhttps://c.example/atom  name=\"Good two\"  tags=News\n"
				if string(b) != want {
					t.Errorf("feeds file:\n%s\nwant:\n%s", b, want)
				}
			}
		})
	}
}

// BenchmarkOPMLImport20000 imports an OPML file of 20,000 feeds into a new
// archive with a feeds file: one write of the file, one transaction.
func BenchmarkOPMLImport20000(b *testing.B) {
	dir := b.TempDir()
	opml := filepath.Join(dir, "big.opml")
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0"?><opml version="2.0"><body><outline text="All">` + "\n")
	for i := range 20000 {
		fmt.Fprintf(&sb, `<outline text="Site %d" xmlUrl="https://site%d.example/feed.xml"/>`+"\n", i, i)
	}
	sb.WriteString("</outline></body></opml>\n")
	if err := os.WriteFile(opml, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	build := testBuild(b)
	for i := 0; b.Loop(); i++ {
		db := filepath.Join(dir, fmt.Sprintf("w%d.db", i))
		feeds := filepath.Join(dir, fmt.Sprintf("feeds%d.txt", i))
		var out, errb strings.Builder
		if code := Main(context.Background(), build, []string{"opml", "import", opml, "-db", db, "-feeds", feeds},
			strings.NewReader(""), &out, &errb); code != 0 || !strings.Contains(out.String(), "imported 20000 feeds") {
			b.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
		}
	}
}
