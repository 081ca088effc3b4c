package crashtest

import (
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

func article(id int64, url, hash, text string, sources ...string) store.Article {
	a := store.Article{ID: id, URL: url, ContentHash: hash, Text: text}
	for _, s := range sources {
		a.Sources = append(a.Sources, store.Source{URL: s})
	}
	return a
}

// TestArchiveProblemsFindsEveryKindOfDamage: the crash test's checks must be
// able to fail, so each kind of damage they look for is made here.
func TestArchiveProblemsFindsEveryKindOfDamage(t *testing.T) {
	items := []string{"u1", "u2", "u3"}
	tests := []struct {
		name string
		arts []store.Article
		want string // "" for a sound archive
	}{
		{"sound", []store.Article{article(1, "u1", "h1", "t", "u1", "u2"), article(2, "u3", "h3", "t3", "u3")}, ""},
		{"item lost", []store.Article{article(1, "u1", "h1", "t", "u1", "u2")}, "item u3: want it in exactly 1 article's sources, found in 0"},
		{"item twice", []store.Article{article(1, "u1", "h1", "t", "u1", "u2"), article(2, "u3", "h3", "t3", "u3", "u2")}, "item u2: want it in exactly 1 article's sources, found in 2"},
		{"hash twice", []store.Article{article(1, "u1", "h1", "t", "u1", "u2"), article(2, "u3", "h1", "t", "u3")}, "content hash h1 stored twice"},
		{"url twice", []store.Article{article(1, "u1", "h1", "t", "u1", "u2"), article(2, "u1", "h3", "t3", "u3")}, "url u1 stored twice"},
		{"stray source", []store.Article{article(1, "u1", "h1", "t", "u1", "u2", "u9"), article(2, "u3", "h3", "t3", "u3")}, "source u9 (1 times) is no item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(ArchiveProblems(tt.arts, items), "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("ArchiveProblems: want %q, got %q", tt.want, got)
			}
		})
	}
}

func TestDiffGroupsSeesTextsAndSources(t *testing.T) {
	clean := Groups([]store.Article{article(1, "u1", "h1", "full text", "u1", "u2")})
	tests := []struct {
		name string
		got  []store.Article
		want string
	}{
		{"same, other ids and order", []store.Article{article(9, "u2", "h1", "full text", "u2", "u1")}, ""},
		{"text cut short", []store.Article{article(1, "u1", "h1", "full", "u1", "u2")}, "want text of 9 bytes, got 4 bytes"},
		{"copy split off", []store.Article{article(1, "u1", "h1", "full text", "u1"), article(2, "u2", "h1", "full text", "u2")}, "want sources [u1 u2], got [u1]"},
		{"missing", nil, "u1: want it stored, it is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(DiffGroups(clean, Groups(tt.got)), "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("DiffGroups: want %q, got %q", tt.want, got)
			}
		})
	}
}

func TestIncompleteFindsACutText(t *testing.T) {
	c := NewCorpus(1, 3, 5)
	path := c.Feeds[0][0].Path
	st, _ := c.StoryAt(path)
	whole := strings.Join(st.Paragraphs, "\n\n")
	cut := strings.Join(st.Paragraphs[:len(st.Paragraphs)-1], "\n\n")
	if got := Incomplete(c, "http://x", []store.Article{article(1, "http://x"+path, "h", whole, "http://x"+path)}); len(got) != 0 {
		t.Errorf("Incomplete of a whole text: want nothing, got %v", got)
	}
	if got := Incomplete(c, "http://x", []store.Article{article(1, "http://x"+path, "h", cut, "http://x"+path)}); len(got) != 1 {
		t.Errorf("Incomplete of a text missing its last paragraph: want 1 finding, got %v", got)
	}
}
