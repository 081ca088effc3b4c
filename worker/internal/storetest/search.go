package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// filler is neutral prose that pads an article without matching any query.
func filler(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "The council met on day %d and discussed budgets, roads and schools. ", i)
	}
	return b.String()
}

type searchDoc struct {
	key, title, text string
	seen             time.Time
}

var searchDocs = []searchDoc{
	{"title", "Volcano erupts near mountain village", "Ash fell over the valley all night. " + filler(6), base},
	{"mention", "Council approves new budget", filler(1) + "A member mentioned a volcano documentary in passing. " + filler(1), base.Add(time.Hour)},
	{"phrase", "Dock workers walk out", "The harbour strike entered its third day. " + filler(4), base.Add(2 * time.Hour)},
	{"scattered", "Football strike threat", "Players may strike again; the harbour was calm. " + filler(4), base.Add(3 * time.Hour)},
}

func testSearch(t *testing.T, open Opener) {
	s := open(t)
	feeds := addFeeds(t, s, 2)
	ids := map[string]int64{}
	for i, d := range searchDocs {
		sg := sighting(feeds[0], d.key, "http://127.0.0.1/s/"+d.key, d.title, d.text, d.seen)
		ids[d.key] = mustIngest(t, s, sg).ArticleID
		if i == 0 { // a second source, to check the count
			mustIngest(t, s, sighting(feeds[1], d.key, "http://127.0.0.1/copy/"+d.key, d.title, d.text, d.seen))
		}
	}

	cases := []struct {
		name  string
		query string
		opts  store.SearchOptions
		want  []string // keys in rank order
		// anyOrder: every wanted article must be there, ranked as the ranker likes.
		anyOrder bool
	}{
		{"TitleAboveMention", "volcano", store.SearchOptions{}, []string{"title", "mention"}, false},
		{"Prefix", "volc*", store.SearchOptions{}, []string{"title", "mention"}, false},
		{"QuotedPhrase", `"harbour strike"`, store.SearchOptions{}, []string{"phrase"}, false},
		{"BothWords", "harbour strike", store.SearchOptions{}, []string{"phrase", "scattered"}, true},
		{"Limit", "volcano", store.SearchOptions{Limit: 1}, []string{"title"}, false},
		{"Since", "volcano", store.SearchOptions{Since: base.Add(30 * time.Minute)}, []string{"mention"}, false},
		{"Until", "volcano", store.SearchOptions{Until: base.Add(30 * time.Minute)}, []string{"title"}, false},
		{"NoMatch", "zeppelin", store.SearchOptions{}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits, err := s.Search(testContext(t), c.query, c.opts)
			if err != nil {
				t.Fatalf("Search(%q): %v", c.query, err)
			}
			var want, got []int64
			for _, k := range c.want {
				want = append(want, ids[k])
			}
			for _, h := range hits {
				got = append(got, h.ArticleID)
			}
			if c.anyOrder {
				slices.Sort(want)
				slices.Sort(got)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Search(%q, %+v): want ids %v in order, got %v", c.query, c.opts, want, got)
			}
		})
	}

	t.Run("HitFields", func(t *testing.T) {
		hits, err := s.Search(testContext(t), "volcano", store.SearchOptions{})
		if err != nil || len(hits) < 2 {
			t.Fatalf("Search(volcano): want 2 hits, got %v, %v", hits, err)
		}
		h := hits[0]
		if h.Title != searchDocs[0].title || h.URL != "http://127.0.0.1/s/title" || h.Sources != 2 || !sameInstant(h.FirstSeen, base) {
			t.Errorf("top hit: want title %q, its url, 2 sources, first seen %v; got %+v", searchDocs[0].title, base, h)
		}
		if !strings.Contains(strings.ToLower(h.Snippet), "[volcano]") {
			t.Errorf("snippet: want the match wrapped as [volcano], got %q", h.Snippet)
		}
		if !(hits[0].Rank > hits[1].Rank) {
			t.Errorf("ranks: want higher is better and strictly ordered, got %v then %v", hits[0].Rank, hits[1].Rank)
		}
	})

	for _, bad := range []string{`"unbalanced quote`, `(unclosed`, `volcano AND`} {
		t.Run("BadSyntax/"+bad, func(t *testing.T) {
			_, err := s.Search(testContext(t), bad, store.SearchOptions{})
			if !errors.Is(err, store.ErrBadQuery) {
				t.Errorf("Search(%q): want ErrBadQuery, got %v", bad, err)
			}
		})
	}
}
