package cli

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// The scale-out tests' judges must be able to fail: each kind of fault they
// look for is made here, without PostgreSQL.

func TestPollProblemsFindsDoublePollsAndStarvation(t *testing.T) {
	const interval = 3 * time.Second
	t0 := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	every := func(gaps ...time.Duration) []fetchRecord {
		recs := []fetchRecord{{at: t0, worker: "w1"}}
		for _, g := range gaps {
			recs = append(recs, fetchRecord{at: recs[len(recs)-1].at.Add(g), worker: "w2"})
		}
		return recs
	}
	healthy := every(3*time.Second, 2800*time.Millisecond, 3200*time.Millisecond)
	end := healthy[len(healthy)-1].at.Add(time.Second)
	tests := []struct {
		name  string
		feed0 []fetchRecord
		want  string // "" for a sound log
	}{
		{"each cycle once, with jitter", healthy, ""},
		{"two workers in one cycle", every(3*time.Second, 40*time.Millisecond, 3*time.Second), "feed 0: fetched twice in one cycle, by w2 then w2 40ms apart"},
		{"never fetched", nil, "feed 0: never fetched"},
		{"a long gap", every(12*time.Second, -3*time.Second), "feed 0: starved, 12s between two fetches"},
		{"dropped at the end", every(), "feed 0: starved, not fetched in the last 10s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log [scaleFeeds][]fetchRecord
			for f := range log {
				log[f] = healthy
			}
			log[0] = tt.feed0
			got := strings.Join(pollProblems(log, interval, 3*interval, end), "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("pollProblems: want %q, got %q", tt.want, got)
			}
		})
	}
}

func TestSyndicationProblemsFindsSplitLostAndMergedStories(t *testing.T) {
	const base = "http://scale.test"
	srv := &syndServer{Server: &httptest.Server{URL: base}, corpus: newSyndCorpus()}
	// The sound archive: one article per story with all its copies.
	var sound []store.Article
	seen := map[string]bool{}
	copies := srv.corpus.copies(base)
	var syndicated []string // the copies of one syndicated story
	for _, items := range srv.corpus.feeds {
		for _, it := range items {
			urls := copies[base+it.path]
			if seen[urls[0]] {
				continue
			}
			seen[urls[0]] = true
			if syndicated == nil && len(urls) > 2 {
				syndicated = urls
			}
			a := store.Article{ID: int64(len(sound) + 1), URL: urls[0], ContentHash: urls[0]}
			for _, u := range urls {
				a.Sources = append(a.Sources, store.Source{URL: u})
			}
			sound = append(sound, a)
		}
	}
	idx := func(url string) int {
		for i, a := range sound {
			if a.URL == url {
				return i
			}
		}
		t.Fatalf("no article for %s", url)
		return -1
	}
	s := idx(syndicated[0])
	clone := func() []store.Article {
		out := make([]store.Article, len(sound))
		for i, a := range sound {
			a.Sources = append([]store.Source(nil), a.Sources...)
			out[i] = a
		}
		return out
	}
	split := clone()
	split[s].Sources = split[s].Sources[:1]
	split = append(split, store.Article{ID: 9999, URL: syndicated[1], ContentHash: "other", Sources: []store.Source{{URL: syndicated[1]}, {URL: syndicated[2]}}})
	lost := clone()
	lost[s].Sources = lost[s].Sources[1:]
	merged := clone()
	other := (s + 1) % len(merged)
	merged[s].Sources = append(merged[s].Sources, merged[other].Sources...)
	merged = append(merged[:other], merged[other+1:]...)

	tests := []struct {
		name string
		arts []store.Article
		want string
	}{
		{"sound", sound, ""},
		{"story split in two", split, "want 450 articles (one a story, 50 of them syndicated), got 451"},
		{"copy lost", lost, "item " + syndicated[0] + ": want it in exactly 1 article's sources, found in 0"},
		{"two stories merged", merged, "want sources"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(syndicationProblems(tt.arts, srv), "\n")
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("syndicationProblems: want %q, got %.600q", tt.want, got)
			}
		})
	}
}
