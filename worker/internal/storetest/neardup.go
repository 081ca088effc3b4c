package storetest

import (
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

// withPrint gives a sighting the fingerprint that dedup.Make computes.
func withPrint(sg store.Sighting) store.Sighting {
	sg.Print = dedup.Make(sg.Article.Text)
	return sg
}

// verdict asks dedup.Best directly what it makes of newText against
// storedText, so the suite checks that the store finds and applies the same
// verdict, whatever the near-duplicate method is. The fixtures are copies
// dedup must match; if it does not, the cases below would test nothing.
func verdict(t *testing.T, storedText, newText string) dedup.Match {
	t.Helper()
	old, neu := dedup.Make(storedText), dedup.Make(newText)
	if len(old.Keys) == 0 || len(neu.Keys) == 0 {
		t.Fatalf("dedup.Make gives no keys (stored %d, new %d): the near-duplicate cases would test nothing", len(old.Keys), len(neu.Keys))
	}
	m, ok := dedup.Best(neu, []dedup.Candidate{{ArticleID: 1, Sketch: old.Sketch, Words: old.Words, Shared: len(neu.Keys)}})
	if !ok {
		t.Fatal("dedup.Best finds no match for an edited wire copy: the near-duplicate cases would test nothing")
	}
	return m
}

func testNearDuplicate(t *testing.T, open Opener) {
	full := story(7, "port closure")
	paras := strings.Split(full, "\n\n")
	edited := "LONDON (Wire) - " + strings.Join(paras[:3], "\n\n") + "\n\nAdditional reporting by a second desk.\n\n" + strings.Join(paras[3:], "\n\n")
	trimmed := strings.Join(paras[:len(paras)-1], "\n\n")

	t.Run("EditedCopyJoinsArticle", func(t *testing.T) {
		m := verdict(t, full, edited)
		s := open(t)
		feeds := addFeeds(t, s, 2)
		first := mustIngest(t, s, withPrint(sighting(feeds[0], "a", "http://127.0.0.1/a/port", "Port closes", full, base)))
		out := mustIngest(t, s, withPrint(sighting(feeds[1], "b", "http://127.0.0.1/b/port", "Port shut", edited, base)))
		if out.Reason != store.ReasonNearDuplicate || out.ArticleID != first.ArticleID {
			t.Fatalf("edited wire copy: want near_duplicate onto article %d, got %+v", first.ArticleID, out)
		}
		if out.Similarity != m.Similarity || out.Upgraded != m.Upgrade {
			t.Errorf("edited copy outcome: want similarity %v upgrade %v as dedup.Best says, got %v %v", m.Similarity, m.Upgrade, out.Similarity, out.Upgraded)
		}
		a, err := s.Article(testContext(t), first.ArticleID)
		if err != nil {
			t.Fatalf("Article: %v", err)
		}
		if len(a.Sources) != 2 || a.Sources[1].Reason != store.ReasonNearDuplicate || a.Sources[1].Similarity != m.Similarity {
			t.Errorf("sources after near-duplicate: want 2, the second near_duplicate at %v, got %+v", m.Similarity, a.Sources)
		}
	})

	t.Run("LongerCopyUpgradesText", func(t *testing.T) {
		m := verdict(t, trimmed, full)
		if !m.Upgrade {
			t.Fatal("dedup.Best does not call the full copy of a trimmed article an upgrade: the case would test nothing")
		}
		s := open(t)
		feeds := addFeeds(t, s, 2)
		first := mustIngest(t, s, withPrint(sighting(feeds[0], "a", "http://127.0.0.1/a/trim", "Port", trimmed, base)))
		out := mustIngest(t, s, withPrint(sighting(feeds[1], "b", "http://127.0.0.1/b/full", "Port", full, base)))
		if !out.Upgraded || out.ArticleID != first.ArticleID || out.Reason != store.ReasonNearDuplicate {
			t.Fatalf("longer copy of a trimmed article: want near_duplicate upgrade of %d, got %+v", first.ArticleID, out)
		}
		a, err := s.Article(testContext(t), first.ArticleID)
		if err != nil {
			t.Fatalf("Article: %v", err)
		}
		if a.Text != full || a.ContentHash != hashOf(full) {
			t.Errorf("upgraded article: want the longer text (%d bytes) and its hash, got %d bytes hash %s", len(full), len(a.Text), a.ContentHash)
		}
		// The upgraded text is now what a third exact copy matches.
		third := mustIngest(t, s, withPrint(sighting(feeds[1], "c", "http://127.0.0.1/c/full", "Port", full, base)))
		if third.Reason != store.ReasonSameHash || third.ArticleID != first.ArticleID {
			t.Errorf("exact copy of the upgraded text: want same_hash onto %d, got %+v", first.ArticleID, third)
		}
		hits, err := s.Search(testContext(t), `"paragraph 6 of story 7"`, store.SearchOptions{})
		if err != nil || len(hits) != 1 || hits[0].ArticleID != first.ArticleID {
			t.Errorf("search for words only in the upgraded text: want article %d, got %+v, %v", first.ArticleID, hits, err)
		}
	})

	t.Run("UnrelatedStoriesStaySeparate", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 2)
		a := mustIngest(t, s, withPrint(sighting(feeds[0], "a", "http://127.0.0.1/a/1", "One", story(21, "elections"), base)))
		b := mustIngest(t, s, withPrint(sighting(feeds[1], "b", "http://127.0.0.1/b/2", "Two", story(22, "weather"), base)))
		if b.Reason != store.ReasonFirst || b.ArticleID == a.ArticleID {
			t.Errorf("two unrelated stories: want two articles, got %+v and %+v", a, b)
		}
	})
}
