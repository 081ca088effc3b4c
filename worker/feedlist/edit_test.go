package feedlist

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

const listWithComments = `# world desk
https://a.example/rss  tags=world   # keep me
https://b.example/feed interval=1h

# energy
https://c.example/atom`

func TestAddKeepsCommentsAndAppends(t *testing.T) {
	got, err := Add([]byte(listWithComments), Entry{URL: "https://d.example/rss", Name: "D", Interval: 30 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	want := listWithComments + "\nhttps://d.example/rss  name=\"D\"  interval=30m\n"
	if string(got) != want {
		t.Errorf("Add gave:\n%s\nwant:\n%s", got, want)
	}
}

func TestAddRefuses(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want error
	}{
		{"a URL already listed", "https://b.example/feed", ErrDuplicateFeed},
		{"a URL that is not http(s)", "gopher://b.example/", ErrBadURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Add([]byte(listWithComments), Entry{URL: tt.url}); !errors.Is(err, tt.want) {
				t.Errorf("Add error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRemoveKeepsEverythingElse(t *testing.T) {
	tests := []struct {
		name, url, want string
		removed         bool
	}{
		{"line with options", "https://b.example/feed",
			"# world desk\nhttps://a.example/rss  tags=world   # keep me\n\n# energy\nhttps://c.example/atom", true},
		{"last line without newline", "https://c.example/atom",
			"# world desk\nhttps://a.example/rss  tags=world   # keep me\nhttps://b.example/feed interval=1h\n\n# energy\n", true},
		{"URL only in a comment stays", "https://x.example/", listWithComments, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, removed := Remove([]byte(listWithComments), tt.url)
			if string(got) != tt.want || removed != tt.removed {
				t.Errorf("Remove = %q, %v; want %q, %v", got, removed, tt.want, tt.removed)
			}
		})
	}
}

func TestAddAllAppendsOnlyNewFeedsOnce(t *testing.T) {
	got, added, err := AddAll([]byte(listWithComments), []Entry{
		{URL: "https://b.example/feed"}, // already listed
		{URL: "https://d.example/rss", Name: "D"},
		{URL: "https://d.example/rss"}, // twice in the import
		{URL: "https://e.example/atom", Tags: []string{"x"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := listWithComments + "\nhttps://d.example/rss  name=\"D\"\nhttps://e.example/atom  tags=x\n"
	if string(got) != want || added != 2 {
		t.Errorf("AddAll added %d, gave:\n%s\nwant 2, and:\n%s", added, got, want)
	}
	if _, _, err := AddAll([]byte(listWithComments), []Entry{{URL: "gopher://x/"}}); !errors.Is(err, ErrBadURL) {
		t.Errorf("AddAll of a bad URL: error %v, want ErrBadURL", err)
	}
}

// BenchmarkAddAll20000 is the feeds-file side of importing 20,000 feeds:
// one pass, whatever the count (Add in a loop was quadratic).
func BenchmarkAddAll20000(b *testing.B) {
	es := make([]Entry, 20000)
	for i := range es {
		es[i] = Entry{URL: fmt.Sprintf("https://site%d.example/feed.xml", i), Name: fmt.Sprintf("Site %d", i)}
	}
	for b.Loop() {
		if _, n, err := AddAll([]byte(listWithComments), es); err != nil || n != len(es) {
			b.Fatalf("AddAll: %d, %v", n, err)
		}
	}
}
