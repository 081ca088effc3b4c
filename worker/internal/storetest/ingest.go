package storetest

import (
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

func testIngest(t *testing.T, open Opener) {
	const url1, url2 = "http://127.0.0.1/news/one", "http://127.0.0.1/other/one-copy"
	text := story(1, "harbour strike")

	t.Run("FirstThenSameURLThenSameHash", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 3)
		first := mustIngest(t, s, sighting(feeds[0], "g1", url1, "Harbour strike", text, base))
		if first.Reason != store.ReasonFirst || first.ArticleID == 0 || first.AlreadySeen || first.Similarity != 1 {
			t.Fatalf("first sighting: want reason first, similarity 1 and an article id, got %+v", first)
		}

		// Same canonical URL, even with a different text: the URL identity wins.
		sameURL := sighting(feeds[1], "g2", url1, "Harbour strike (updated)", story(2, "other"), base.Add(time.Minute))
		out := mustIngest(t, s, sameURL)
		if out.Reason != store.ReasonSameURL || out.ArticleID != first.ArticleID {
			t.Errorf("same canonical URL: want same_url onto article %d, got %+v", first.ArticleID, out)
		}

		// Different URL, same normalised text: the hash identity.
		sameHash := sighting(feeds[2], "g3", url2, "Strike at the harbour", text, base.Add(2*time.Minute))
		out = mustIngest(t, s, sameHash)
		if out.Reason != store.ReasonSameHash || out.ArticleID != first.ArticleID {
			t.Errorf("same content hash: want same_hash onto article %d, got %+v", first.ArticleID, out)
		}

		a, err := s.Article(testContext(t), first.ArticleID)
		if err != nil {
			t.Fatalf("Article(%d): %v", first.ArticleID, err)
		}
		if a.Text != text || a.Title != "Harbour strike" || a.URL != url1 || a.FeedURL != feeds[0].URL {
			t.Errorf("stored article: want the first copy's text, title, url and feed; got title %q url %q feed %q text %d bytes",
				a.Title, a.URL, a.FeedURL, len(a.Text))
		}
		wantReasons := []policy.Reason{store.ReasonFirst, store.ReasonSameURL, store.ReasonSameHash}
		if len(a.Sources) != len(wantReasons) {
			t.Fatalf("sources: want %d, got %d (%+v)", len(wantReasons), len(a.Sources), a.Sources)
		}
		for i, src := range a.Sources {
			if src.Reason != wantReasons[i] || src.FeedURL != feeds[i].URL {
				t.Errorf("source %d: want reason %s from %s, got %s from %s", i, wantReasons[i], feeds[i].URL, src.Reason, src.FeedURL)
			}
		}
		if a.Sources[2].URL != url2 || a.Sources[2].Title != "Strike at the harbour" || !sameInstant(a.Sources[2].SeenAt, base.Add(2*time.Minute)) {
			t.Errorf("source 2: want the sighting's own url, title and time, got %+v", a.Sources[2])
		}
	})

	t.Run("AlreadySeenWritesNothing", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 1)
		mustIngest(t, s, sighting(feeds[0], "g1", url1, "T", text, base))
		again := sighting(feeds[0], "g1", url2, "T changed", story(9, "different"), base.Add(time.Hour))
		out := mustIngest(t, s, again)
		if !out.AlreadySeen || out.ArticleID != 0 || out.Reason != "" {
			t.Errorf("same feed and item key again: want AlreadySeen with no article and no reason, got %+v", out)
		}
		all := exportAll(t, s, store.ExportFilter{})
		if len(all) != 1 || len(all[0].Sources) != 1 {
			t.Errorf("after an already-seen item: want 1 article with 1 source, got %d articles", len(all))
		}
	})

	t.Run("SeenItems", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 2)
		mustIngest(t, s, sighting(feeds[0], "k1", url1, "T", text, base))
		mustIngest(t, s, sighting(feeds[1], "k2", url2, "T2", story(3, "x"), base))
		seen, err := s.SeenItems(testContext(t), feeds[0].ID, []string{"k1", "k2", "k3"})
		if err != nil {
			t.Fatalf("SeenItems: %v", err)
		}
		want := map[string]bool{"k1": true, "k2": false, "k3": false}
		for k, w := range want {
			if seen[k] != w {
				t.Errorf("SeenItems on feed 0, key %s: want %v, got %v", k, w, seen[k])
			}
		}
		if empty, err := s.SeenItems(testContext(t), feeds[0].ID, nil); err != nil || len(empty) != 0 {
			t.Errorf("SeenItems with no keys: want empty map, got %v, %v", empty, err)
		}
	})

	t.Run("MetadataRoundTrip", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 1)
		sg := sighting(feeds[0], "g1", url1, "Title", text, base)
		pub := base.Add(-3 * time.Hour)
		sg.Article.Published = &pub
		sg.Article.TextSource = store.TextFromFeed
		sg.Article.FetchError = "fetch: 503 Service Unavailable"
		sg.Article.CanonicalURL = "http://127.0.0.1/canonical/one"
		out := mustIngest(t, s, sg)
		a, err := s.Article(testContext(t), out.ArticleID)
		if err != nil {
			t.Fatalf("Article: %v", err)
		}
		checks := []struct {
			field     string
			got, want any
		}{
			{"URL", a.URL, sg.Article.URL},
			{"CanonicalURL", a.CanonicalURL, sg.Article.CanonicalURL},
			{"Author", a.Author, sg.Article.Author},
			{"SiteName", a.SiteName, sg.Article.SiteName},
			{"Language", a.Language, sg.Article.Language},
			{"ContentHash", a.ContentHash, sg.Article.ContentHash},
			{"TextSource", a.TextSource, store.TextFromFeed},
			{"FetchError", a.FetchError, sg.Article.FetchError},
			{"Published", a.Published != nil && sameInstant(*a.Published, pub), true},
			{"FirstSeen", sameInstant(a.FirstSeen, base), true},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("article %s: want %v, got %v", c.field, c.want, c.got)
			}
		}
	})

	t.Run("ArticleNotFound", func(t *testing.T) {
		s := open(t)
		if _, err := s.Article(testContext(t), 424242); !isNotFound(err) {
			t.Errorf("Article of a missing id: want ErrNotFound, got %v", err)
		}
	})

	t.Run("EmptyCanonicalURLAndHashAreNotIdentities", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 1)
		for i, key := range []string{"a", "b"} {
			sg := sighting(feeds[0], key, "", "untitled", story(10+i, "empty ids"), base)
			sg.Article.CanonicalURL = ""
			sg.Article.ContentHash = ""
			if out := mustIngest(t, s, sg); out.Reason != store.ReasonFirst {
				t.Errorf("item %s with no canonical URL and no hash: want a new article, got %+v", key, out)
			}
		}
	})
}
