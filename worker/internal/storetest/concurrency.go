package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// ingestAll ingests every sighting from its own goroutine at once and returns
// the outcomes in the same order.
func ingestAll(t *testing.T, s store.Store, sgs []store.Sighting) []store.Outcome {
	t.Helper()
	outs := make([]store.Outcome, len(sgs))
	errs := make([]error, len(sgs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range sgs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			outs[i], errs[i] = s.Ingest(testContext(t), sgs[i])
		}(i)
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Ingest %d (%s): %v", i, sgs[i].ItemURL, err)
		}
	}
	return outs
}

// checkOneArticle asserts that the archive holds exactly one article with
// want sources, exactly one of them the first sighting.
func checkOneArticle(t *testing.T, s store.Store, outs []store.Outcome, want int) {
	t.Helper()
	all := exportAll(t, s, store.ExportFilter{})
	if len(all) != 1 {
		t.Fatalf("concurrent copies of one story: want 1 article, got %d", len(all))
	}
	if got := len(all[0].Sources); got != want {
		t.Errorf("concurrent copies: want %d sources on the article, got %d", want, got)
	}
	firsts := 0
	for i, o := range outs {
		if o.ArticleID != all[0].ID && !o.AlreadySeen {
			t.Errorf("outcome %d: want article %d, got %+v", i, all[0].ID, o)
		}
		if o.Reason == store.ReasonFirst {
			firsts++
		}
	}
	if firsts != 1 {
		t.Errorf("concurrent copies: want exactly one %q outcome, got %d", store.ReasonFirst, firsts)
	}
}

func testConcurrency(t *testing.T, open Opener) {
	const n = 12
	text := story(40, "syndicated wire story")

	t.Run("CopiesOfOneStory", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, n)
		sgs := make([]store.Sighting, n)
		for i := range sgs {
			sgs[i] = sighting(feeds[i], "item", fmt.Sprintf("http://127.0.0.1/site%d/story", i), "Wire story", text, base)
		}
		checkOneArticle(t, s, ingestAll(t, s, sgs), n)
	})

	t.Run("SameCanonicalURLDifferentTexts", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, n)
		sgs := make([]store.Sighting, n)
		for i := range sgs {
			sgs[i] = sighting(feeds[i], "item", "http://127.0.0.1/one/url", "Version", story(100+i, "revisions"), base)
		}
		checkOneArticle(t, s, ingestAll(t, s, sgs), n)
	})

	t.Run("SameItemOnOneFeed", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 1)
		sgs := make([]store.Sighting, n)
		for i := range sgs {
			sgs[i] = sighting(feeds[0], "same-guid", "http://127.0.0.1/x", "X", text, base)
		}
		outs := ingestAll(t, s, sgs)
		seen := 0
		for _, o := range outs {
			if o.AlreadySeen {
				seen++
			}
		}
		if seen != n-1 {
			t.Errorf("one item ingested %d times at once: want %d already-seen outcomes, got %d", n, n-1, seen)
		}
		checkOneArticle(t, s, outs, 1)
	})

	t.Run("NearDuplicateCopies", func(t *testing.T) {
		variant := func(i int) string {
			return fmt.Sprintf("CITY %d (Wire) - ", i) + text + fmt.Sprintf("\n\nReporting by desk %d.", i)
		}
		verdict(t, variant(0), variant(1))
		s := open(t)
		feeds := addFeeds(t, s, n)
		sgs := make([]store.Sighting, n)
		for i := range sgs {
			sgs[i] = withPrint(sighting(feeds[i], "item", fmt.Sprintf("http://127.0.0.1/near%d/story", i), "Wire story", variant(i), base))
		}
		checkOneArticle(t, s, ingestAll(t, s, sgs), n)
	})
}
