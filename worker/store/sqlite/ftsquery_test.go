package sqlite

import (
	"context"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

func TestFTSQueryQuotesOnlyWhatFTS5WouldReject(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"Plain words", "harbour strike", "harbour strike"},
		{"Hyphenated word", "covid-19 cases", `"covid-19" cases`},
		{"Abbreviation", "U.S. election", `"U.S." election`},
		{"Quoted phrase kept", `"new covid-19 cases"`, `"new covid-19 cases"`},
		{"Prefix kept", "volc*", "volc*"},
		{"Operators kept", "a OR b NOT c", "a OR b NOT c"},
		{"Column filter kept", "title:volcano", "title:volcano"},
		{"Unknown column quoted", "foo:bar", `"foo:bar"`},
		{"Initial token kept", "^breaking", "^breaking"},
		{"Parentheses kept", "(a OR b-c) d", `(a OR "b-c") d`},
		{"Unclosed quote left to fail", `"unbalanced quote`, `"unbalanced quote`},
		{"Non-ASCII is bare", "café zürich", "café zürich"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ftsQuery(c.in); got != c.want {
				t.Errorf("ftsQuery(%q): want %q, got %q", c.in, c.want, got)
			}
		})
	}
}

func TestSearchFindsPunctuatedWords(t *testing.T) {
	s := openTemp(t, Options{})
	feed := seedArchive(t, s, 0)
	sg := testSighting(feed, 1)
	sg.Article.Text = "New covid-19 rules take effect in the U.S. on Monday."
	sg.Article.ContentHash = "h1"
	if _, err := s.Ingest(context.Background(), sg); err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	for _, q := range []string{"covid-19", "U.S. rules", `"covid-19 rules"`} {
		hits, err := s.Search(context.Background(), q, store.SearchOptions{})
		if err != nil || len(hits) != 1 {
			t.Errorf("Search(%q): want the one article, got %d hits, %v", q, len(hits), err)
		}
	}
}
