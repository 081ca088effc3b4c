package storetest

import (
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

func testStats(t *testing.T, open Opener) {
	s := open(t)
	ctx := testContext(t)
	feeds := addFeeds(t, s, 4)
	if err := s.SetFeedState(ctx, feeds[3].URL, store.FeedGone); err != nil {
		t.Fatalf("SetFeedState: %v", err)
	}
	text := story(300, "stats")
	mustIngest(t, s, sighting(feeds[0], "1", "http://127.0.0.1/st/1", "S", text, base))
	mustIngest(t, s, sighting(feeds[1], "1", "http://127.0.0.1/st/1", "S", text, base))
	mustIngest(t, s, sighting(feeds[2], "1", "http://127.0.0.1/st/copy", "S", text, base))
	mustIngest(t, s, sighting(feeds[2], "2", "http://127.0.0.1/st/2", "S2", story(301, "stats"), base))

	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	if st.Articles != 2 || st.Sources != 4 {
		t.Errorf("stats totals: want 2 articles and 4 sources, got %d and %d", st.Articles, st.Sources)
	}
	if st.FeedsByState[store.FeedActive] != 3 || st.FeedsByState[store.FeedGone] != 1 || len(st.FeedsByState) != 2 {
		t.Errorf("feeds by state: want 3 active and 1 gone, got %v", st.FeedsByState)
	}
	// Only the folded-in sightings count as duplicates.
	want := map[string]int64{string(store.ReasonSameURL): 1, string(store.ReasonSameHash): 1}
	if len(st.DuplicatesByReason) != len(want) {
		t.Errorf("duplicates by reason: want %v, got %v", want, st.DuplicatesByReason)
	}
	for r, n := range want {
		if st.DuplicatesByReason[r] != n {
			t.Errorf("duplicates by reason %s: want %d, got %d", r, n, st.DuplicatesByReason[r])
		}
	}
	if st.DatabaseBytes <= 0 {
		t.Errorf("database size: want > 0 bytes, got %d", st.DatabaseBytes)
	}

	fs, err := s.Feeds(ctx)
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	wantCounts := []int{1, 1, 2, 0}
	for i, f := range fs {
		if f.Articles != wantCounts[i] {
			t.Errorf("feed %d Articles (sources seen through it): want %d, got %d", i, wantCounts[i], f.Articles)
		}
	}
}
