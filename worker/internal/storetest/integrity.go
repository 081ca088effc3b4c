package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

// otherStory is text about something else than story's texts, in other
// words: what a padding site adds, or a claiming site's own story.
func otherStory(n int) string {
	var paras []string
	for p := range n {
		paras = append(paras, fmt.Sprintf(
			"Whisk eggs with butter and sugar until pale, then fold flour gently into the batter; bake batch %d of lemon cakes for %d minutes until golden at every edge.",
			p+1, 20+p))
	}
	return strings.Join(paras, "\n\n")
}

// pageSighting is a sighting of a page with its own metadata.
func pageSighting(f store.Feed, key, url, title, author, site string, published time.Time, text string, seen time.Time) store.Sighting {
	sg := withPrint(sighting(f, key, url, title, text, seen))
	sg.Article.Author, sg.Article.SiteName, sg.Article.Published = author, site, &published
	return sg
}

// current returns the article's sources marked as its text's page.
func current(a store.Article) []store.Source {
	var out []store.Source
	for _, s := range a.Sources {
		if s.TextRole == store.TextCurrent {
			out = append(out, s)
		}
	}
	return out
}

// testIntegrity: no sighting can hide, rewrite or double another's story.
func testIntegrity(t *testing.T, open Opener) {
	full := story(9, "harbour strike")
	paras := strings.Split(full, "\n\n")
	trimmed := strings.Join(paras[:3], "\n\n")

	t.Run("ClaimTheTextDeniesIsItsOwnArticle", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 2)
		a := mustIngest(t, s, withPrint(sighting(feeds[0], "a", "http://127.0.0.1/a/story", "Strike", full, base)))
		sg := withPrint(sighting(feeds[1], "b", "http://127.0.0.1/b/own", "Cakes", otherStory(6), base))
		sg.Article.ClaimedURL = "http://127.0.0.1/a/story"
		b := mustIngest(t, s, sg)
		if b.Reason != store.ReasonFirst || b.ArticleID == a.ArticleID {
			t.Fatalf("copy claiming a stored page with another text: want a new article, got %+v", b)
		}
		got, err := s.Article(testContext(t), b.ArticleID)
		if err != nil || got.CanonicalURL != "http://127.0.0.1/b/own" || got.Text != otherStory(6) {
			t.Errorf("claiming copy's article: canonical %q, own text %v, %v; want its own address and text", got.CanonicalURL, got.Text == otherStory(6), err)
		}
		if orig, _ := s.Article(testContext(t), a.ArticleID); len(orig.Sources) != 1 || orig.Text != full {
			t.Errorf("claimed article: %d sources, text kept %v; want it untouched", len(orig.Sources), orig.Text == full)
		}
	})

	t.Run("ClaimTheTextBearsOutFolds", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 2)
		edited := "HARBOUR (Wire) - " + full + "\n\nReporting by a second desk."
		m := verdict(t, full, edited)
		a := mustIngest(t, s, withPrint(sighting(feeds[0], "a", "http://127.0.0.1/a/story", "Strike", full, base)))
		sg := withPrint(sighting(feeds[1], "b", "http://127.0.0.1/b/copy", "Strike (wire)", edited, base))
		sg.Article.ClaimedURL = "http://127.0.0.1/a/story"
		b := mustIngest(t, s, sg)
		if b.Reason != store.ReasonSameURL || b.ArticleID != a.ArticleID || b.Similarity != m.Similarity {
			t.Errorf("copy claiming a stored page with the same story: want same_url onto %d at %v, got %+v", a.ArticleID, m.Similarity, b)
		}
	})

	t.Run("FullerCopyRepresentsTheStoryFromOnePage", func(t *testing.T) {
		if !dedup.Fuller(trimmed, full) {
			t.Skip("dedup.Fuller does not call the full story fuller than its trimmed copy")
		}
		s := open(t)
		feeds := addFeeds(t, s, 2)
		pubA, pubB := base.Add(-2*time.Hour), base.Add(-time.Hour)
		first := mustIngest(t, s, pageSighting(feeds[0], "a", "http://127.0.0.1/a/short", "Short", "Wire staff", "Wire Post", pubA, trimmed, base))
		out := mustIngest(t, s, pageSighting(feeds[1], "b", "http://127.0.0.1/b/full", "Full", "Anna Ek", "Harbour Daily", pubB, full, base.Add(time.Hour)))
		if !out.Upgraded || out.ArticleID != first.ArticleID {
			t.Fatalf("full story after its trimmed copy: want an upgrade of %d, got %+v", first.ArticleID, out)
		}
		a, err := s.Article(testContext(t), first.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Text != full || a.URL != "http://127.0.0.1/b/full" || a.CanonicalURL != "http://127.0.0.1/b/full" ||
			a.Title != "Full" || a.Author != "Anna Ek" || a.SiteName != "Harbour Daily" || a.Published == nil || !sameInstant(*a.Published, pubB) {
			t.Errorf("upgraded article: url %q canonical %q title %q author %q site %q published %v, full text %v; want all of the full page",
				a.URL, a.CanonicalURL, a.Title, a.Author, a.SiteName, a.Published, a.Text == full)
		}
		if len(a.Sources) != 2 || a.Sources[0].TextRole != store.TextReplaced || a.Sources[0].ReplacedAt == nil ||
			!sameInstant(*a.Sources[0].ReplacedAt, base.Add(time.Hour)) || a.Sources[1].TextRole != store.TextCurrent || a.Sources[1].ReplacedAt != nil {
			t.Errorf("sources: %+v; want the trimmed copy replaced at the full one's sighting, the full one current", a.Sources)
		}
	})

	t.Run("PaddedCopyDoesNotReplaceTheStory", func(t *testing.T) {
		for name, padded := range map[string]string{
			"appended": full + "\n\n" + otherStory(4),
			"inserted": strings.Join(paras[:2], "\n\n") + "\n\n" + otherStory(4) + "\n\n" + strings.Join(paras[2:], "\n\n"),
		} {
			t.Run(name, func(t *testing.T) {
				m := verdict(t, full, padded)
				s := open(t)
				feeds := addFeeds(t, s, 2)
				first := mustIngest(t, s, withPrint(sighting(feeds[0], "a", "http://127.0.0.1/a/story", "Strike", full, base)))
				out := mustIngest(t, s, withPrint(sighting(feeds[1], "b", "http://127.0.0.1/b/padded", "Strike and cake", padded, base)))
				if out.ArticleID != first.ArticleID || out.Reason != store.ReasonNearDuplicate || out.Upgraded {
					t.Fatalf("padded copy (measure says upgrade %v): want a near_duplicate sighting of %d and no upgrade, got %+v",
						m.Upgrade, first.ArticleID, out)
				}
				a, _ := s.Article(testContext(t), first.ArticleID)
				if a.Text != full || a.URL != "http://127.0.0.1/a/story" {
					t.Errorf("article after a padded copy: url %q, text kept %v; want the original page", a.URL, a.Text == full)
				}
				if cur := current(a); len(cur) != 1 || cur[0].URL != "http://127.0.0.1/a/story" {
					t.Errorf("text source: %+v; want the original sighting alone", cur)
				}
				if hits, _ := s.Search(testContext(t), "lemon", store.SearchOptions{}); len(hits) != 0 {
					t.Errorf("search for the padding: %d hits, want none", len(hits))
				}
			})
		}
	})

	t.Run("NewArticleMarksItsPage", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 2)
		out := mustIngest(t, s, sighting(feeds[0], "a", "http://127.0.0.1/a/1", "One", full, base))
		mustIngest(t, s, sighting(feeds[1], "b", "http://127.0.0.1/b/1", "One", full, base))
		a, _ := s.Article(testContext(t), out.ArticleID)
		if len(a.Sources) != 2 || a.Sources[0].TextRole != store.TextCurrent || a.Sources[1].TextRole != "" {
			t.Errorf("sources of a new article and its copy: %+v; want the first current, the copy none", a.Sources)
		}
	})

	t.Run("MergeKeepsOneCurrentPage", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 2)
		text := story(77, "floods")
		first := mustIngest(t, s, sighting(feeds[0], "a", "http://127.0.0.1/m/a", "Floods", text, base))
		other := mustIngest(t, s, sighting(feeds[1], "b", "http://127.0.0.1/m/b", "Floods", text+"\n\nShare this.", base))
		a := store.ArticleData{URL: "http://127.0.0.1/m/b", CanonicalURL: "http://127.0.0.1/m/b", Title: "Floods",
			Text: text, ContentHash: hashOf(text), TextSource: store.TextFromPage}
		r, err := s.ReprocessArticle(testContext(t), other.ArticleID, a, dedup.Fingerprint{Words: 100})
		if err != nil || r.MergedInto != first.ArticleID {
			t.Fatalf("reprocess of the copy: want a merge into %d, got %+v, %v", first.ArticleID, r, err)
		}
		got, _ := s.Article(testContext(t), first.ArticleID)
		if cur := current(got); len(got.Sources) != 2 || len(cur) != 1 || cur[0].URL != "http://127.0.0.1/m/a" {
			t.Errorf("after the merge: sources %+v; want two, the article's own page alone current", got.Sources)
		}
	})

	t.Run("SightingsOfItemLinks", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 2)
		mustIngest(t, s, sighting(feeds[0], "guid-1", "http://127.0.0.1/s/1", "One", story(81, "a"), base))
		mustIngest(t, s, sighting(feeds[0], "guid-2", "http://127.0.0.1/s/2", "Two", story(82, "b"), base))
		mustIngest(t, s, sighting(feeds[1], "guid-3", "http://127.0.0.1/s/1", "One elsewhere", story(81, "a"), base))
		got, err := s.SightingsOf(testContext(t), feeds[0].ID, []string{"http://127.0.0.1/s/1", "http://127.0.0.1/s/9"})
		want := []policy.ItemSighting{{Key: "guid-1", Link: "http://127.0.0.1/s/1", Title: "One"}}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("SightingsOf(feed 0, [s/1 s/9]) = %+v, %v; want %+v (this feed's only)", got, err, want)
		}
		if got, err := s.SightingsOf(testContext(t), feeds[0].ID, nil); err != nil || len(got) != 0 {
			t.Errorf("SightingsOf with no links = %+v, %v; want none", got, err)
		}
	})
}
