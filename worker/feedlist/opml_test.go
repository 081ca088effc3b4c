package feedlist

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readOPMLFixture(t *testing.T, name string) ([]Entry, error) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ParseOPML(f, name)
}

func TestParseOPMLExports(t *testing.T) {
	tests := []struct {
		file    string
		want    []Entry
		wantErr error
	}{
		{"miniflux.opml", []Entry{
			{URL: "https://feeds.arstechnica.com/arstechnica/index", Name: "Ars Technica", Tags: []string{"All"}, Line: 9},
			{URL: "https://lwn.net/headlines/rss", Name: "LWN.net", Tags: []string{"All"}, Line: 10},
			{URL: "https://feeds.bbci.co.uk/news/world/rss.xml", Name: "BBC News - World", Tags: []string{"World News"}, Line: 13},
			{URL: "https://www.lemonde.fr/rss/une.xml", Name: "Le Monde.fr - Actualités et Infos en France et dans le monde", Tags: []string{"World News"}, Line: 14},
		}, nil},
		{"freshrss.opml", []Entry{
			{URL: "https://hnrss.org/frontpage", Name: "Hacker News: Front Page", Tags: []string{"Uncategorized"}, Line: 9},
			{URL: "https://www.carbonbrief.org/feed/", Name: "Carbon Brief", Tags: []string{"Energy & Climate"}, Line: 12},
			{URL: "https://feeds.bbci.co.uk/news/world/rss.xml", Name: "BBC News - World", Tags: []string{"Energy & Climate"}, Line: 13},
			{URL: "https://www.heise.de/rss/heise-atom.xml", Name: "heise online News", Tags: []string{"Tech", "Europe"}, Line: 18},
		}, ErrBadOutline},
		{"inoreader-latin1.opml", []Entry{
			{URL: "https://feeds.elpais.com/mrss-s/pages/ep/site/elpais.com/portada", Name: "El País", Line: 7},
			{URL: "https://www.eldiario.es/rss/", Tags: []string{"España"}, Line: 9},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := readOPMLFixture(t, tt.file)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("entries:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseOPMLNamesTheSkippedOutline(t *testing.T) {
	_, err := readOPMLFixture(t, "freshrss.opml")
	want := `freshrss.opml:14: outline "Local podcast": not an http(s) feed URL: "file:///home/me/podcast.xml"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want it to contain %q", err, want)
	}
}

func TestParseOPMLMergesAFeedListedInTwoFolders(t *testing.T) {
	in := `<opml version="2.0"><body>
<outline text="World"><outline text="Wire" xmlUrl="https://w.example/rss"/></outline>
<outline text="Energy"><outline text="Wire" xmlUrl="https://w.example/rss" category="/markets"/></outline>
</body></opml>`
	got, err := ParseOPML(strings.NewReader(in), "x.opml")
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{URL: "https://w.example/rss", Name: "Wire", Tags: []string{"World", "Energy", "markets"}, Line: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParseOPMLRejectsWhatIsNotOPML(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"plain text", "https://a.example/rss\nhttps://b.example/rss\n"},
		{"HTML page", "<!DOCTYPE html><html><body><a href='x'>x</a></body></html>"},
		{"RSS feed", `<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`},
		{"JSON", `{"version":"https://jsonfeed.org/version/1.1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOPML(strings.NewReader(tt.in), "subs.opml")
			if !errors.Is(err, ErrNotOPML) || got != nil {
				t.Errorf("ParseOPML = %v, %v; want nil, ErrNotOPML", got, err)
			}
			if err != nil && !strings.Contains(err.Error(), "subs.opml") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestOPMLRoundTripThroughReaderExports(t *testing.T) {
	for _, file := range []string{"miniflux.opml", "freshrss.opml", "inoreader-latin1.opml"} {
		t.Run(file, func(t *testing.T) {
			first, _ := readOPMLFixture(t, file)
			if len(first) == 0 {
				t.Fatal("fixture gave no entries")
			}
			var buf bytes.Buffer
			if err := WriteOPML(&buf, "wiresift", first); err != nil {
				t.Fatal(err)
			}
			second, err := ParseOPML(bytes.NewReader(buf.Bytes()), "export.opml")
			if err != nil {
				t.Fatalf("reading our own export: %v\n%s", err, buf.Bytes())
			}
			if diff := entriesDiff(first, second); diff != "" {
				t.Errorf("round trip changed entries: %s\n%s", diff, buf.Bytes())
			}
		})
	}
}

func TestWriteOPMLKeepsIntervalAndAllTags(t *testing.T) {
	entries := []Entry{
		{URL: "https://a.example/rss", Name: "A & B <news>", Tags: []string{"world", "energy"}, Interval: 30 * time.Minute},
		{URL: "https://b.example/rss"},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "My feeds", entries); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`<opml version="2.0">`, `<title>My feeds</title>`, `<outline text="world" title="world">`,
		`text="A &amp; B &lt;news&gt;"`, `category="/world,/energy"`, `wiresiftInterval="30m"`, `text="https://b.example/rss"`} {
		if !strings.Contains(out, want) {
			t.Errorf("OPML lacks %s:\n%s", want, out)
		}
	}
	back, err := ParseOPML(strings.NewReader(out), "mine.opml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := entriesDiff(entries, back); diff != "" {
		t.Errorf("round trip: %s", diff)
	}
}

// entriesDiff compares entries ignoring Line, which differs between formats.
func entriesDiff(a, b []Entry) string {
	strip := func(es []Entry) []Entry {
		out := make([]Entry, len(es))
		for i, e := range es {
			e.Line = 0
			if len(e.Tags) == 0 {
				e.Tags = nil
			}
			out[i] = e
		}
		return out
	}
	if x, y := strip(a), strip(b); !reflect.DeepEqual(x, y) {
		return "\n got " + fmtEntries(y) + "\nwant " + fmtEntries(x)
	}
	return ""
}

func fmtEntries(es []Entry) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(strings.TrimSpace(string(Format([]Entry{e}))) + " | ")
	}
	return b.String()
}
