package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// FuzzParse checks that no document crashes Parse, that errors name the feed
// URL, and that what it returns is valid UTF-8 with absolute or empty links.
func FuzzParse(f *testing.F) {
	fixtures, _ := filepath.Glob("testdata/*.*")
	for _, path := range fixtures {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b, "")
		}
	}
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"), "text/xml; charset=utf-16")
	const feedURL = "https://fuzz.example/feed"
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		got, err := Parse(body, contentType, feedURL)
		if err != nil {
			if !strings.Contains(err.Error(), feedURL) {
				t.Fatalf("error %q does not name the feed URL", err)
			}
			return
		}
		if !utf8.ValidString(got.Title) {
			t.Fatalf("feed title %q is not valid UTF-8", got.Title)
		}
		for _, it := range got.Items {
			if !utf8.ValidString(it.Title) || !utf8.ValidString(it.Content) {
				t.Fatalf("item %+v holds invalid UTF-8", it)
			}
		}
	})
}

func BenchmarkParseCorpusFeed(b *testing.B) {
	path := filepath.Join("..", "..", "..", "shared", "corpus", "dedup-dev", "feeds", "feed04.xml")
	body, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("corpus feed not available: %v", err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(body, "application/rss+xml", "http://127.0.0.1:8765/feeds/feed04.xml"); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzBound runs the bounding scan with small limits, so that fuzzed
// documents reach the cut and the refusals: a cut document is the input's
// prefix closed again, it parses whenever the whole did, and gofeed finds
// no more items in it than the limit.
func FuzzBound(f *testing.F) {
	f.Add([]byte(rssItems(5, "")))
	f.Add([]byte(atomEntries(5)))
	f.Add([]byte(jsonItems(5)))
	f.Add([]byte(`<rss><channel><item><e:a><e:a><e:a><e:a><e:a>x</e:a></e:a></e:a></e:a></e:a></item></channel></rss>`))
	f.Add([]byte(`{"items":[{"a":[[[[[1]]]]]},{},{}]}`))
	lim := docLimits{items: 2, depth: 6, elements: 60}
	f.Fuzz(func(t *testing.T, text []byte) {
		text = dropNonXMLChars(text) // as Parse does first
		out, shape, unread, err := lim.bound(text)
		if err != nil {
			if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), "(line ") {
				t.Fatalf("bound error %v: want ErrTooComplex with a line", err)
			}
			return
		}
		if shape.Elements > lim.elements || shape.Bytes != len(out) {
			t.Fatalf("shape %+v of %d bytes: want at most %d elements and the output's size", shape, len(out), lim.elements)
		}
		if unread == 0 {
			if !bytes.Equal(out, text) {
				t.Fatal("a document that was not cut came back changed")
			}
			return
		}
		if len(out) > len(text)+lim.depth*(len(text)+3) {
			t.Fatalf("cut document of %d bytes from %d", len(out), len(text))
		}
		whole, wholeErr := gofeed.NewParser().Parse(bytes.NewReader(text))
		cut, cutErr := gofeed.NewParser().Parse(bytes.NewReader(out))
		// Markup so broken that parsers disagree on it may be cut into
		// something gofeed refuses: a failed feed, not a cost.
		if wholeErr == nil && cutErr != nil && wellFormed(text) {
			t.Fatalf("the whole document parses (%d items) but its cut does not: %v\ncut: %q", len(whole.Items), cutErr, out)
		}
		if cutErr == nil && len(cut.Items) > lim.items {
			t.Fatalf("cut document has %d items, want at most %d\ncut: %q", len(cut.Items), lim.items, out)
		}
	})
}

// wellFormed is true for XML that a strict parser reads to the end, and for
// any JSON.
func wellFormed(text []byte) bool {
	if t := bytes.TrimSpace(text); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return json.Valid(t)
	}
	d := xml.NewDecoder(bytes.NewReader(text))
	for {
		if _, err := d.Token(); err != nil {
			return err == io.EOF
		}
	}
}
