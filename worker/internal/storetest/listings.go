package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

// testListings checks the reads behind `dupes`, the status page and
// `reprocess`: an article's sources, the most-syndicated and latest
// articles, and the stream of kept pages.
func testListings(t *testing.T, open Opener) {
	// archive: article k has k+1 sources on distinct feeds, first seen k hours after base.
	archive := func(t *testing.T, s store.Store) []int64 {
		feeds := addFeeds(t, s, 3)
		var ids []int64
		for k := 0; k < 3; k++ {
			url := fmt.Sprintf("http://127.0.0.1/cli/%d", k)
			for f := 0; f <= k; f++ {
				sg := sighting(feeds[f], fmt.Sprint(k), url, fmt.Sprintf("CLI %d", k), story(400+k, "cli"), base.Add(time.Duration(k)*time.Hour))
				if f == 0 {
					sg.Article.RawHTML = []byte(fmt.Sprintf("<html><body>raw %d</body></html>", k))
					if k == 1 {
						sg.Article.RawHTML = nil
					}
				}
				out := mustIngest(t, s, sg)
				if f == 0 {
					ids = append(ids, out.ArticleID)
				}
			}
		}
		return ids
	}

	t.Run("ArticleSources", func(t *testing.T) {
		s := open(t)
		ids := archive(t, s)
		a, err := s.Article(testContext(t), ids[2])
		srcs := a.Sources
		if err != nil || len(srcs) != 3 || srcs[0].Reason != store.ReasonFirst || srcs[2].Reason != store.ReasonSameURL {
			t.Errorf("Article(%d).Sources: want 3 sources, first then same_url, got %+v, %v", ids[2], srcs, err)
		}
		if _, err := s.Article(testContext(t), 987654); !isNotFound(err) {
			t.Errorf("Article of a missing id: want ErrNotFound, got %v", err)
		}
	})

	t.Run("TopAndLatest", func(t *testing.T) {
		s := open(t)
		ids := archive(t, s)
		top, err := s.TopSyndicated(testContext(t), 2)
		if err != nil {
			t.Fatalf("TopSyndicated: %v", err)
		}
		if got := articleIDs(top); fmt.Sprint(got) != fmt.Sprint([]int64{ids[2], ids[1]}) || len(top[0].Sources) != 3 {
			t.Errorf("TopSyndicated(2): want %v with 3 sources on the first, got %v", []int64{ids[2], ids[1]}, got)
		}
		latest, err := s.LatestArticles(testContext(t), 10)
		if err != nil {
			t.Fatalf("LatestArticles: %v", err)
		}
		if got := articleIDs(latest); fmt.Sprint(got) != fmt.Sprint([]int64{ids[2], ids[1], ids[0]}) || len(latest[2].Sources) != 1 {
			t.Errorf("LatestArticles(10): want newest first %v, got %v", []int64{ids[2], ids[1], ids[0]}, got)
		}
	})

	t.Run("RawPages", func(t *testing.T) {
		s := open(t)
		ids := archive(t, s)
		var got []string
		err := s.RawPages(testContext(t), func(id int64, url string, raw []byte) error {
			got = append(got, fmt.Sprintf("%d %s %s", id, url, raw))
			return nil
		})
		want := []string{
			fmt.Sprintf("%d http://127.0.0.1/cli/0 <html><body>raw 0</body></html>", ids[0]),
			fmt.Sprintf("%d http://127.0.0.1/cli/2 <html><body>raw 2</body></html>", ids[2]),
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("RawPages: want %q, got %q, %v", want, got, err)
		}
		stop := errors.New("stop")
		if err := s.RawPages(testContext(t), func(int64, string, []byte) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("RawPages callback error: want it returned, got %v", err)
		}
	})

	t.Run("ReprocessDuringRawPages", func(t *testing.T) {
		s := open(t)
		ids := archive(t, s)
		// Reprocess writes new texts while it streams the stored pages.
		err := s.RawPages(testContext(t), func(id int64, url string, raw []byte) error {
			a := store.ArticleData{URL: url, CanonicalURL: url, Title: fmt.Sprintf("Reworked %d", id),
				Text: fmt.Sprintf("Reprocessed text about quokkas number %d, written back while the pages stream.", id), TextSource: store.TextFromPage}
			a.ContentHash = hashOf(a.Text)
			r, err := s.ReprocessArticle(testContext(t), id, a, dedup.Fingerprint{Words: 12})
			if err == nil && (!r.Changed || r.MergedInto != 0) {
				err = fmt.Errorf("article %d: want changed and kept, got %+v", id, r)
			}
			return err
		})
		if err != nil {
			t.Fatalf("RawPages with ReprocessArticle: %v", err)
		}
		a, err := s.Article(testContext(t), ids[2])
		if err != nil {
			t.Fatalf("Article: %v", err)
		}
		if a.Title != fmt.Sprintf("Reworked %d", ids[2]) || a.ContentHash != hashOf(a.Text) || len(a.Sources) != 3 {
			t.Errorf("reprocessed article: want new title and hash with its 3 sources kept, got %q %s %d sources", a.Title, a.ContentHash, len(a.Sources))
		}
		// Search follows the new text inside the same transaction.
		hits, err := s.Search(testContext(t), "quokkas", store.SearchOptions{})
		if err != nil || len(hits) != 2 {
			t.Errorf("search for the new word: want the 2 reprocessed articles, got %+v, %v", hits, err)
		}
		if hits, _ := s.Search(testContext(t), `"paragraph 1 of story 402"`, store.SearchOptions{}); len(hits) != 0 {
			t.Errorf("search for the replaced text: want no hit, got %+v", hits)
		}
	})
}
