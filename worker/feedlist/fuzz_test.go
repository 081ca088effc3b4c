package feedlist

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFeedlistParse checks that Parse never panics, that every entry it
// returns is valid, and that Format writes entries Parse reads back unchanged.
func FuzzFeedlistParse(f *testing.F) {
	f.Add("https://a.example/rss  interval=30m  tags=world,energy  name=\"Example News\"\n# c\n\nbad line\n")
	f.Fuzz(func(t *testing.T, in string) {
		entries, _ := Parse(strings.NewReader(in), "feeds.txt")
		for _, e := range entries {
			if err := checkURL(e.URL); err != nil {
				t.Fatalf("returned entry with bad URL: %v", err)
			}
		}
		out := Format(entries)
		again, errs := Parse(bytes.NewReader(out), "feeds.txt")
		if len(errs) != 0 {
			t.Fatalf("Format wrote lines Parse rejects: %v\n%s", errs, out)
		}
		if diff := entriesDiff(entries, again); diff != "" {
			t.Fatalf("Format/Parse round trip changed entries: %s", diff)
		}
	})
}

// FuzzParseOPML checks that ParseOPML never panics and that what it returns
// survives WriteOPML and ParseOPML unchanged.
func FuzzParseOPML(f *testing.F) {
	f.Add(`<opml version="2.0"><body><outline text="W"><outline text="A" xmlUrl="https://a.example/rss"/></outline></body></opml>`)
	f.Fuzz(func(t *testing.T, in string) {
		entries, _ := ParseOPML(strings.NewReader(in), "in.opml")
		if len(entries) == 0 {
			return
		}
		var buf bytes.Buffer
		if err := WriteOPML(&buf, "t", entries); err != nil {
			t.Fatal(err)
		}
		again, err := ParseOPML(bytes.NewReader(buf.Bytes()), "out.opml")
		if err != nil {
			t.Fatalf("our own OPML does not parse: %v\n%s", err, buf.Bytes())
		}
		if diff := entriesDiff(entries, again); diff != "" {
			t.Fatalf("OPML round trip changed entries: %s\n%s", diff, buf.Bytes())
		}
	})
}

// FuzzSplitPlain checks that the fast path for lines without quotes splits
// every such line as the general path does.
func FuzzSplitPlain(f *testing.F) {
	f.Add("https://a.example/rss  interval=30m #c tags=a#b\r\n")
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsRune(line, '"') || !utf8.ValidString(line) {
			return
		}
		want, err := splitQuoted(nil, line)
		if err != nil {
			t.Fatalf("splitQuoted(%q): %v", line, err)
		}
		if got := splitPlain(nil, line); !slices.Equal(got, want) {
			t.Fatalf("splitPlain(%q) = %q, splitQuoted gives %q", line, got, want)
		}
	})
}
