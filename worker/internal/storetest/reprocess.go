package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

func testReprocess(t *testing.T, open Opener) {
	ctx := testContext
	// reextracted is an article as a reprocess would hand it back.
	reextracted := func(url, title, text string) (store.ArticleData, dedup.Fingerprint) {
		a := store.ArticleData{URL: url, CanonicalURL: url, Title: title, Text: text,
			ContentHash: hashOf(text), TextSource: store.TextFromPage}
		return a, dedup.Fingerprint{Words: 100}
	}
	boiler := "\n\nSign up for our newsletter and follow us on every network we are on."

	t.Run("NewTextReplacesOldAndReindexes", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 1)
		out := mustIngest(t, s, sighting(feeds[0], "a", "http://127.0.0.1/r/a", "Old", story(500, "dams")+boiler, base))
		a, fp := reextracted("http://127.0.0.1/r/a", "New title", story(500, "dams"))
		r, err := s.ReprocessArticle(ctx(t), out.ArticleID, a, fp)
		if err != nil || !r.Changed || r.MergedInto != 0 {
			t.Fatalf("ReprocessArticle with a new text: want Changed and not merged, got %+v, %v", r, err)
		}
		got, err := s.Article(ctx(t), out.ArticleID)
		if err != nil || got.Text != a.Text || got.Title != "New title" || got.ContentHash != a.ContentHash || len(got.Sources) != 1 {
			t.Errorf("after reprocess: want the new text, title and hash with 1 source, got %q %q %d sources, %v", got.Title, got.ContentHash, len(got.Sources), err)
		}
		if hits, _ := s.Search(ctx(t), "newsletter", store.SearchOptions{}); len(hits) != 0 {
			t.Errorf("search for a word only the old text had: want no hit, got %+v", hits)
		}
		r, err = s.ReprocessArticle(ctx(t), out.ArticleID, a, fp)
		if err != nil || r.Changed || r.MergedInto != 0 || r.Gone {
			t.Errorf("second reprocess with the same text: want nothing changed, got %+v, %v", r, err)
		}
	})

	t.Run("CopyNowEqualMergesIntoIt", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 3)
		text := story(501, "rail strike")
		first := mustIngest(t, s, sighting(feeds[0], "a", "http://127.0.0.1/r/a", "Strike", text, base))
		// The old extraction left different furniture on the copy: stored apart.
		copyOut := mustIngest(t, s, sighting(feeds[1], "b", "http://127.0.0.1/r/b", "Strike copy", text+boiler, base.Add(-time.Hour)))
		mustIngest(t, s, sighting(feeds[2], "c", "http://127.0.0.1/r/b", "Strike copy", text+boiler, base))
		if copyOut.ArticleID == first.ArticleID {
			t.Fatal("setup: the copy with furniture was stored as the same article")
		}
		a, fp := reextracted("http://127.0.0.1/r/b", "Strike copy", text)
		r, err := s.ReprocessArticle(ctx(t), copyOut.ArticleID, a, fp)
		if err != nil || r.MergedInto != first.ArticleID || r.Reason != store.ReasonSameHash || !r.Changed {
			t.Fatalf("reprocessed copy: want merged into %d by same_hash, got %+v, %v", first.ArticleID, r, err)
		}
		if _, err := s.Article(ctx(t), copyOut.ArticleID); !isNotFound(err) {
			t.Errorf("merged article: want ErrNotFound, got %v", err)
		}
		kept, err := s.Article(ctx(t), first.ArticleID)
		if err != nil {
			t.Fatalf("Article: %v", err)
		}
		reasons := map[policy.Reason]int{}
		for _, src := range kept.Sources {
			reasons[src.Reason]++
		}
		if len(kept.Sources) != 3 || reasons[store.ReasonFirst] != 1 || reasons[store.ReasonSameHash] != 1 || reasons[store.ReasonSameURL] != 1 {
			t.Errorf("sources after merge: want 3 (first, same_hash, same_url), got %+v", kept.Sources)
		}
		if !sameInstant(kept.FirstSeen, base.Add(-time.Hour)) {
			t.Errorf("first seen after merge: want the copy's earlier %v, got %v", base.Add(-time.Hour), kept.FirstSeen)
		}
		if hits, _ := s.Search(ctx(t), "newsletter", store.SearchOptions{}); len(hits) != 0 {
			t.Errorf("search after merge: the deleted copy still matches: %+v", hits)
		}
		stats, err := s.Stats(ctx(t))
		if err != nil || stats.Articles != 1 || stats.Sources != 3 {
			t.Errorf("stats after merge: want 1 article and 3 sources, got %+v, %v", stats, err)
		}
		r, err = s.ReprocessArticle(ctx(t), copyOut.ArticleID, a, fp)
		if err != nil || !r.Gone {
			t.Errorf("reprocessing the merged-away article again: want Gone, got %+v, %v", r, err)
		}
	})

	t.Run("SameCanonicalURLMerges", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 2)
		first := mustIngest(t, s, sighting(feeds[0], "a", "http://127.0.0.1/r/story", "Story", story(502, "tide"), base))
		other := mustIngest(t, s, sighting(feeds[1], "b", "http://127.0.0.1/r/amp/story", "Story", story(503, "tide"), base))
		a, fp := reextracted("http://127.0.0.1/r/story", "Story", story(503, "tide"))
		r, err := s.ReprocessArticle(ctx(t), other.ArticleID, a, fp)
		if err != nil || r.MergedInto != first.ArticleID || r.Reason != store.ReasonSameURL || r.Changed {
			t.Errorf("page now declaring the first article's canonical URL: want same_url merge into %d, text unchanged, got %+v, %v", first.ArticleID, r, err)
		}
	})

	t.Run("NearDuplicateMerges", func(t *testing.T) {
		full := story(504, "harbour fire")
		edited := "LONDON (Wire) - " + full + "\n\nAdditional reporting by a second desk."
		verdict(t, full, edited)
		s := open(t)
		feeds := addFeeds(t, s, 2)
		first := mustIngest(t, s, withPrint(sighting(feeds[0], "a", "http://127.0.0.1/r/fire", "Fire", full, base)))
		// The old extraction picked the wrong block of the page: a comment
		// thread that shares no wording with the story.
		var noisy string
		for i := 0; i < 120; i++ {
			noisy += fmt.Sprintf("commenter%d wrote reply%d ", i*7%97, i*13%89)
		}
		copyOut := mustIngest(t, s, withPrint(sighting(feeds[1], "b", "http://127.0.0.1/r/fire2", "Fire", noisy, base)))
		if copyOut.ArticleID == first.ArticleID {
			t.Fatal("setup: the wrongly extracted copy joined the article")
		}
		a, _ := reextracted("http://127.0.0.1/r/fire2", "Fire", edited)
		r, err := s.ReprocessArticle(ctx(t), copyOut.ArticleID, a, dedup.Make(edited))
		if err != nil || r.MergedInto != first.ArticleID || r.Reason != store.ReasonNearDuplicate {
			t.Errorf("re-extracted copy without the sidebar: want near_duplicate merge into %d, got %+v, %v", first.ArticleID, r, err)
		}
	})

	t.Run("MissingArticleIsGone", func(t *testing.T) {
		s := open(t)
		a, fp := reextracted("http://127.0.0.1/r/x", "X", story(506, "x"))
		r, err := s.ReprocessArticle(ctx(t), 987654, a, fp)
		if err != nil || !r.Gone {
			t.Errorf("ReprocessArticle of a missing article: want Gone and no error, got %+v, %v", r, err)
		}
		if errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing article: want Gone, not ErrNotFound")
		}
	})
}
