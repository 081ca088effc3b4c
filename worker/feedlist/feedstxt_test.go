package feedlist

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseFeedsFileKeepsGoodLinesAndReportsBadOnes(t *testing.T) {
	f, err := os.Open("testdata/feeds.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, errs := Parse(f, "feeds.txt")

	want := []Entry{
		{URL: "https://www.example.com/rss", Line: 2},
		{URL: "https://news.example.org/feed.xml", Name: "Example News", Tags: []string{"world", "energy"}, Interval: 30 * time.Minute, Line: 4},
		{URL: "https://blog.example.net/atom.xml", Name: `Quote "Marks" Blog`, Line: 5},
		{URL: "https://indented.example.com/feed.json", Tags: []string{"long tag", "second"}, Interval: 2 * time.Hour, Line: 11},
		{URL: "https://frag.example.com/page#section", Interval: 45 * time.Minute, Line: 12},
	}
	if !reflect.DeepEqual(entries, want) {
		t.Errorf("entries:\n got %+v\nwant %+v", entries, want)
	}

	wantErrs := []struct {
		text     string
		sentinel error
	}{
		{`feeds.txt:6: duplicate feed https://www.example.com/rss (first on line 2)`, ErrDuplicateFeed},
		{`feeds.txt:7: not an http(s) feed URL: "ftp://files.example.com/feed.xml"`, ErrBadURL},
		{`feeds.txt:8: unknown option "colour"`, ErrUnknownOption},
		{`feeds.txt:9: bad option: interval="soon" is not a positive duration such as 30m or 2h`, ErrBadOption},
		{`feeds.txt:10: bad option: unterminated quote`, ErrBadOption},
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("got %d errors %v, want %d", len(errs), errs, len(wantErrs))
	}
	for i, w := range wantErrs {
		if errs[i].Error() != w.text {
			t.Errorf("error %d = %q, want %q", i, errs[i], w.text)
		}
		if !errors.Is(errs[i], w.sentinel) {
			t.Errorf("error %d = %v, want it to wrap %v", i, errs[i], w.sentinel)
		}
		var le *LineError
		if !errors.As(errs[i], &le) || le.File != "feeds.txt" {
			t.Errorf("error %d = %#v, want a *LineError for feeds.txt", i, errs[i])
		}
	}
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    Entry
		wantErr error
	}{
		{"bare URL", "https://a.example/feed", Entry{URL: "https://a.example/feed"}, nil},
		{"CRLF line end", "https://a.example/feed interval=1h\r\n", Entry{URL: "https://a.example/feed", Interval: time.Hour}, nil},
		{"options in any order", `https://a.example/f name="A B" interval=90m tags=x`, Entry{URL: "https://a.example/f", Name: "A B", Tags: []string{"x"}, Interval: 90 * time.Minute}, nil},
		{"quoted tags with spaces", `https://a.example/f tags="world news, energy,,world news"`, Entry{URL: "https://a.example/f", Tags: []string{"world news", "energy"}}, nil},
		{"backslash escape in name", `https://a.example/f name="C:\\feeds"`, Entry{URL: "https://a.example/f", Name: `C:\feeds`}, nil},
		{"hash inside URL is not a comment", "https://a.example/f#top", Entry{URL: "https://a.example/f#top"}, nil},
		{"name white space collapsed", "https://a.example/f name=\"  A \t B  \"", Entry{URL: "https://a.example/f", Name: "A B"}, nil},
		{"relative URL", "/feed.xml", Entry{}, ErrBadURL},
		{"URL without host", "https:///feed", Entry{}, ErrBadURL},
		{"option without value", "https://a.example/f name", Entry{}, ErrBadOption},
		{"option given twice", "https://a.example/f tags=a tags=b", Entry{}, ErrBadOption},
		{"zero interval", "https://a.example/f interval=0s", Entry{}, ErrBadOption},
		{"negative interval", "https://a.example/f interval=-5m", Entry{}, ErrBadOption},
		{"unknown option", "https://a.example/f every=5m", Entry{}, ErrUnknownOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := parseLine(tt.line)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("parseLine(%q) error = %v, want %v", tt.line, err, tt.wantErr)
			}
			if err == nil && (!ok || !reflect.DeepEqual(got, tt.want)) {
				t.Errorf("parseLine(%q) = %+v (ok=%v), want %+v", tt.line, got, ok, tt.want)
			}
		})
	}
}

func TestParseSkipsBlankAndCommentLines(t *testing.T) {
	in := "\uFEFF# header\n\n   \n\t# indented comment\nhttps://a.example/f\n"
	entries, errs := Parse(strings.NewReader(in), "feeds.txt")
	if len(errs) != 0 {
		t.Fatalf("errors %v, want none", errs)
	}
	want := []Entry{{URL: "https://a.example/f", Line: 5}}
	if !reflect.DeepEqual(entries, want) {
		t.Errorf("got %+v, want %+v", entries, want)
	}
}

func TestFormatThenParseGivesTheSameEntries(t *testing.T) {
	entries := []Entry{
		{URL: "https://a.example/rss"},
		{URL: "https://b.example/feed", Name: `He said "hi" \o/`, Tags: []string{"world news", "energy"}, Interval: 90 * time.Minute},
		{URL: "https://c.example/atom#x", Name: "# not a comment", Tags: []string{"#tag"}, Interval: 24 * time.Hour},
		{URL: "https://d.example/f", Interval: 1500 * time.Millisecond},
	}
	out := Format(entries)
	got, errs := Parse(strings.NewReader(string(out)), "feeds.txt")
	if len(errs) != 0 {
		t.Fatalf("reparse errors %v of:\n%s", errs, out)
	}
	for i := range got {
		got[i].Line = 0
	}
	if !reflect.DeepEqual(got, entries) {
		t.Errorf("round trip of:\n%s\n got %+v\nwant %+v", out, got, entries)
	}
	wantLine := `https://b.example/feed  name="He said \"hi\" \\o/"  tags="world news,energy"  interval=1h30m`
	if lines := strings.Split(string(out), "\n"); lines[1] != wantLine {
		t.Errorf("line 2 = %q, want %q", lines[1], wantLine)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Minute, "30m"},
		{time.Hour, "1h"},
		{26 * time.Hour, "26h"},
		{90 * time.Minute, "1h30m"},
		{90 * time.Second, "1m30s"},
		{45 * time.Second, "45s"},
	}
	for _, tt := range tests {
		if got := formatDuration(tt.d); got != tt.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// The fast path for lines without quotes splits as the general one does.
func TestSplitPlainAgreesWithSplitQuoted(t *testing.T) {
	for _, line := range []string{
		"", "\n", "   \t\r\n", "# comment", "  # indented comment\n",
		"https://a.example/rss\n", "https://a.example/rss\r\n", "\thttps://a.example/rss   interval=30m\ttags=a,b  \n",
		"https://a.example/rss # trailing comment", "https://a.example/r#ss#frag tags=x#y", "https://a.example/rss #",
		"https://a.example/\u00e9t\u00e9 name=caf\u00e9", "a  b   c", "https://a.example/rss\u00a0x",
	} {
		want, err := splitQuoted(nil, line)
		if err != nil {
			t.Fatalf("splitQuoted(%q): %v", line, err)
		}
		if got := splitPlain(nil, line); !slices.Equal(got, want) {
			t.Errorf("splitPlain(%q) = %q, splitQuoted gives %q", line, got, want)
		}
	}
}
