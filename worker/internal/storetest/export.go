package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// exportArchive: articles 0..4 first seen an hour apart; article i is on
// feed i%2, and article 4 is also seen on feed 2.
func exportArchive(t *testing.T, s store.Store) ([]store.Feed, []int64) {
	t.Helper()
	feeds := addFeeds(t, s, 3)
	var ids []int64
	for i := 0; i < 5; i++ {
		sg := sighting(feeds[i%2], fmt.Sprint(i), fmt.Sprintf("http://127.0.0.1/e/%d", i), fmt.Sprintf("Export %d", i), story(200+i, "export"), base.Add(time.Duration(i)*time.Hour))
		ids = append(ids, mustIngest(t, s, sg).ArticleID)
	}
	dup := sighting(feeds[2], "dup", "http://127.0.0.1/e/4", "Export 4 again", "", base.Add(5*time.Hour))
	mustIngest(t, s, dup)
	return feeds, ids
}

func articleIDs(as []store.Article) []int64 {
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}

func testExport(t *testing.T, open Opener) {
	s := open(t)
	feeds, ids := exportArchive(t, s)

	cases := []struct {
		name   string
		filter store.ExportFilter
		want   []int64
	}{
		{"All", store.ExportFilter{}, ids},
		{"SinceInclusive", store.ExportFilter{Since: base.Add(3 * time.Hour)}, ids[3:]},
		{"UntilExclusive", store.ExportFilter{Until: base.Add(2 * time.Hour)}, ids[:2]},
		{"Window", store.ExportFilter{Since: base.Add(time.Hour), Until: base.Add(3 * time.Hour)}, ids[1:3]},
		{"Feed", store.ExportFilter{FeedURL: feeds[1].URL}, []int64{ids[1], ids[3]}},
		{"FeedBySecondSource", store.ExportFilter{FeedURL: feeds[2].URL}, ids[4:]},
		{"FeedAndSince", store.ExportFilter{FeedURL: feeds[0].URL, Since: base.Add(time.Hour)}, []int64{ids[2], ids[4]}},
		{"UnknownFeed", store.ExportFilter{FeedURL: "http://127.0.0.1/none.xml"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := articleIDs(exportAll(t, s, c.filter))
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("Export(%+v): want ids %v in order, got %v", c.filter, c.want, got)
			}
		})
	}

	t.Run("SourcesComplete", func(t *testing.T) {
		all := exportAll(t, s, store.ExportFilter{FeedURL: feeds[2].URL})
		if len(all) != 1 || len(all[0].Sources) != 2 {
			t.Fatalf("article 4 filtered by its second feed: want it with both sources, got %+v", all)
		}
		if all[0].Sources[0].Reason != store.ReasonFirst || all[0].Sources[1].Reason != store.ReasonSameURL {
			t.Errorf("sources in sighting order: want first then same_url, got %s, %s", all[0].Sources[0].Reason, all[0].Sources[1].Reason)
		}
	})

	t.Run("JSONShape", func(t *testing.T) {
		all := exportAll(t, s, store.ExportFilter{})
		raw, err := json.Marshal(all[0])
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var obj map[string]any
		if err := json.Unmarshal(raw, &obj); err != nil {
			t.Fatalf("unmarshal: %v", err)
		}
		for _, k := range []string{"id", "url", "canonical_url", "title", "published", "feed_url", "text", "content_hash", "sources"} {
			if _, ok := obj[k]; !ok {
				t.Errorf("export object: want key %q, got %s", k, raw)
			}
		}
		if obj["published"] != nil {
			t.Errorf("unknown publication date: want null, got %v", obj["published"])
		}
		srcs, _ := obj["sources"].([]any)
		if len(srcs) != 1 {
			t.Fatalf("sources: want a list of 1, got %v", obj["sources"])
		}
		src := srcs[0].(map[string]any)
		for _, k := range []string{"url", "feed_url", "title", "seen_at", "reason"} {
			if _, ok := src[k]; !ok {
				t.Errorf("source object: want key %q, got %v", k, src)
			}
		}
		if _, err := time.Parse(time.RFC3339, fmt.Sprint(src["seen_at"])); err != nil {
			t.Errorf("seen_at: want RFC 3339, got %v", src["seen_at"])
		}
	})

	t.Run("CallbackErrorStops", func(t *testing.T) {
		stop := errors.New("enough")
		calls := 0
		err := s.Export(testContext(t), store.ExportFilter{}, func(store.Article) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("callback error: want it returned after 1 call, got %v after %d", err, calls)
		}
	})

	t.Run("ReadsInsideCallback", func(t *testing.T) {
		// A caller may look things up while streaming; that must not deadlock.
		n := 0
		err := s.Export(testContext(t), store.ExportFilter{}, func(a store.Article) error {
			got, err := s.Article(testContext(t), a.ID)
			if err != nil {
				return err
			}
			if got.Title != a.Title {
				return fmt.Errorf("article %d: export says %q, Article says %q", a.ID, a.Title, got.Title)
			}
			n++
			return nil
		})
		if err != nil || n != len(ids) {
			t.Errorf("Article inside Export: want %d calls and no error, got %d, %v", len(ids), n, err)
		}
	})

	t.Run("WritesInsideCallback", func(t *testing.T) {
		n := 0
		err := s.Export(testContext(t), store.ExportFilter{Until: base.Add(time.Hour)}, func(a store.Article) error {
			n++
			sg := sighting(feeds[2], fmt.Sprint("w", a.ID), a.URL, a.Title, "", base)
			_, err := s.Ingest(testContext(t), sg)
			return err
		})
		if err != nil || n != 1 {
			t.Errorf("Ingest inside Export: want 1 call and no error, got %d, %v", n, err)
		}
	})
}
