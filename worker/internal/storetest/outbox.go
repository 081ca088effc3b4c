package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

// claimAll claims with a lease long enough to outlast the subtest.
func claimAll(t *testing.T, s store.Store, now time.Time) []store.Event {
	t.Helper()
	evs, err := s.ClaimEvents(testContext(t), now, 100, time.Hour)
	if err != nil {
		t.Fatalf("ClaimEvents: %v", err)
	}
	return evs
}

func kinds(evs []store.Event) string {
	var ks []string
	for _, ev := range evs {
		ks = append(ks, fmt.Sprintf("%s/%d", ev.Kind, ev.ArticleID))
	}
	return strings.Join(ks, " ")
}

func delivered(t *testing.T, s store.Store, evs []store.Event) {
	t.Helper()
	for _, ev := range evs {
		if err := s.EventDelivered(testContext(t), ev.ID); err != nil {
			t.Fatalf("EventDelivered(%d): %v", ev.ID, err)
		}
	}
}

func testOutbox(t *testing.T, open Opener) {
	const url1, url2 = "http://127.0.0.1/news/one", "http://127.0.0.1/other/two"
	later := base.Add(24 * time.Hour)

	t.Run("OffRecordsNothing", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 1)
		mustIngest(t, s, sighting(feeds[0], "g1", url1, "One", story(1, "tide"), base))
		if evs := claimAll(t, s, later); len(evs) != 0 {
			t.Errorf("ingest without RecordEvents: want no events, got %s", kinds(evs))
		}
	})

	t.Run("EventsFollowOutcomesInOrderPerArticle", func(t *testing.T) {
		s := open(t)
		s.RecordEvents(true)
		feeds := addFeeds(t, s, 2)
		a := mustIngest(t, s, sighting(feeds[0], "g1", url1, "One", story(1, "tide"), base))
		mustIngest(t, s, sighting(feeds[1], "g2", url1, "One again", story(1, "tide"), base.Add(time.Minute)))
		mustIngest(t, s, sighting(feeds[1], "g2", url1, "One again", story(1, "tide"), base.Add(2*time.Minute))) // already seen
		b := mustIngest(t, s, sighting(feeds[0], "g3", url2, "Two", story(2, "wind"), base.Add(3*time.Minute)))

		// One event per article a claim: article a's sighting waits for its creation.
		first := claimAll(t, s, later)
		if got, want := kinds(first), fmt.Sprintf("article.created/%d article.created/%d", a.ArticleID, b.ArticleID); got != want {
			t.Fatalf("first claim: want %q, got %q", want, got)
		}
		if again := claimAll(t, s, later); len(again) != 0 {
			t.Fatalf("claim while the first batch is leased: want nothing, got %s", kinds(again))
		}
		delivered(t, s, first)
		second := claimAll(t, s, later)
		if got, want := kinds(second), fmt.Sprintf("article.sighted/%d", a.ArticleID); got != want {
			t.Fatalf("second claim: want %q, got %q", want, got)
		}
		src := second[0].Source
		if src == nil || src.URL != url1 || src.FeedURL != feeds[1].URL || src.Title != "One again" ||
			src.Reason != store.ReasonSameURL || !sameInstant(src.SeenAt, base.Add(time.Minute)) {
			t.Errorf("sighted event source: want the second feed's sighting, got %+v", src)
		}
		if !sameInstant(second[0].CreatedAt, base.Add(time.Minute)) || second[0].Delivery == first[0].Delivery || len(second[0].Delivery) < 16 {
			t.Errorf("sighted event: want created at the sighting with its own delivery id, got %+v", second[0])
		}
		delivered(t, s, second)
		if rest := claimAll(t, s, later); len(rest) != 0 {
			t.Errorf("after all were delivered: want no events (already-seen items announce nothing), got %s", kinds(rest))
		}
	})

	t.Run("ReprocessAnnouncesATextChange", func(t *testing.T) {
		s := open(t)
		s.RecordEvents(true)
		feeds := addFeeds(t, s, 2)
		ctx := testContext(t)
		boiler := "\n\nSign up for our newsletter and follow us on every network we are on."
		redo := func(id int64, url, text string) store.Reprocessed {
			t.Helper()
			a := store.ArticleData{URL: url, CanonicalURL: url, Title: "Re", Text: text,
				ContentHash: hashOf(text), TextSource: store.TextFromPage}
			r, err := s.ReprocessArticle(ctx, id, a, dedup.Fingerprint{Words: 100})
			if err != nil {
				t.Fatalf("ReprocessArticle(%d): %v", id, err)
			}
			return r
		}
		a := mustIngest(t, s, sighting(feeds[0], "a", url1, "One", story(600, "dams")+boiler, base))
		copyText := story(601, "rail strike")
		x := mustIngest(t, s, sighting(feeds[0], "x", url2, "Strike", copyText, base))
		y := mustIngest(t, s, sighting(feeds[1], "y", url2+"/copy", "Strike copy", copyText+boiler, base))
		delivered(t, s, claimAll(t, s, later))
		// Reprocess events are stamped with the wall clock: claim after it.
		after := time.Now().Add(time.Hour)
		if rest := claimAll(t, s, after); len(rest) != 0 {
			t.Fatalf("setup: want the creations delivered, got %s", kinds(rest))
		}

		if r := redo(a.ArticleID, url1, story(600, "dams")); !r.Changed {
			t.Fatalf("setup: want the text changed, got %+v", r)
		}
		evs := claimAll(t, s, after)
		if got, want := kinds(evs), fmt.Sprintf("article.updated/%d", a.ArticleID); got != want {
			t.Fatalf("reprocess that changed the text: want %q, got %q", want, got)
		}
		if evs[0].Source != nil {
			t.Errorf("article.updated: want no source, got %+v", evs[0].Source)
		}
		delivered(t, s, evs)
		if r := redo(a.ArticleID, url1, story(600, "dams")); r.Changed {
			t.Fatalf("setup: want the same text unchanged, got %+v", r)
		}
		if r := redo(y.ArticleID, url2+"/copy", copyText); r.MergedInto != x.ArticleID {
			t.Fatalf("setup: want the copy merged into %d, got %+v", x.ArticleID, r)
		}
		if rest := claimAll(t, s, after); len(rest) != 0 {
			t.Errorf("reprocess with the same text, and a merge: want no event, got %s", kinds(rest))
		}
	})

	t.Run("FailedEventWaitsAndKeepsItsDeliveryID", func(t *testing.T) {
		s := open(t)
		s.RecordEvents(true)
		feeds := addFeeds(t, s, 1)
		mustIngest(t, s, sighting(feeds[0], "g1", url1, "One", story(1, "tide"), base))
		ctx := testContext(t)
		evs, err := s.ClaimEvents(ctx, later, 10, time.Minute)
		if err != nil || len(evs) != 1 {
			t.Fatalf("claim: want 1 event, got %v, %v", evs, err)
		}
		if again := claimAll(t, s, later.Add(59*time.Second)); len(again) != 0 {
			t.Fatalf("claim within the lease: want nothing, got %s", kinds(again))
		}
		if err := s.RetryEvent(ctx, evs[0].ID, later.Add(10*time.Minute), "receiver answered 503"); err != nil {
			t.Fatalf("RetryEvent: %v", err)
		}
		if early := claimAll(t, s, later.Add(9*time.Minute)); len(early) != 0 {
			t.Fatalf("claim before the retry time: want nothing, got %s", kinds(early))
		}
		retry := claimAll(t, s, later.Add(10*time.Minute))
		if len(retry) != 1 || retry[0].Delivery != evs[0].Delivery || retry[0].Attempts != 1 {
			t.Fatalf("claim at the retry time: want the same delivery %s with 1 attempt, got %+v", evs[0].Delivery, retry)
		}
		// A lease that ran out (a deliverer that died) frees the event too.
		expired := claimAll(t, s, later.Add(10*time.Minute+2*time.Hour))
		if len(expired) != 1 || expired[0].ID != evs[0].ID {
			t.Errorf("claim after the lease expired: want event %d again, got %+v", evs[0].ID, expired)
		}
	})

	t.Run("StatsShowBacklogAndOldest", func(t *testing.T) {
		s := open(t)
		s.RecordEvents(true)
		feeds := addFeeds(t, s, 1)
		for i := 0; i < 3; i++ {
			mustIngest(t, s, sighting(feeds[0], fmt.Sprint("g", i), fmt.Sprint(url1, i), "One", story(i, "tide"), base.Add(time.Duration(i)*time.Hour)))
		}
		ctx := testContext(t)
		ob, err := s.OutboxStats(ctx)
		if err != nil || ob.Pending != 3 || !sameInstant(ob.Oldest, base) {
			t.Fatalf("OutboxStats: want 3 pending, oldest %v; got %+v, %v", base, ob, err)
		}
		evs := claimAll(t, s, later)
		delivered(t, s, evs[:1])
		st, err := s.Stats(ctx)
		if err != nil || st.Webhook.Pending != 2 || !sameInstant(st.Webhook.Oldest, base.Add(time.Hour)) {
			t.Fatalf("Stats().Webhook after one delivery: want 2 pending, oldest %v; got %+v, %v", base.Add(time.Hour), st.Webhook, err)
		}
		delivered(t, s, evs[1:])
		if ob, err := s.OutboxStats(ctx); err != nil || ob.Pending != 0 || !ob.Oldest.IsZero() {
			t.Errorf("OutboxStats when empty: want 0 and no oldest, got %+v, %v", ob, err)
		}
	})

	t.Run("ConcurrentClaimersNeverShareAnEvent", func(t *testing.T) {
		s := open(t)
		s.RecordEvents(true)
		feeds := addFeeds(t, s, 1)
		const n = 60
		for i := 0; i < n; i++ {
			mustIngest(t, s, sighting(feeds[0], fmt.Sprint("g", i), fmt.Sprint(url1, "/", i), "One", story(100+i, "tide"), base))
		}
		ctx := testContext(t)
		var mu sync.Mutex
		got := map[int64]int{}
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					evs, err := s.ClaimEvents(ctx, later, 7, time.Hour)
					if err != nil {
						t.Errorf("ClaimEvents: %v", err)
						return
					}
					if len(evs) == 0 {
						return
					}
					mu.Lock()
					for _, ev := range evs {
						got[ev.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(got) != n {
			t.Errorf("concurrent claims: want all %d events claimed, got %d", n, len(got))
		}
		for id, k := range got {
			if k != 1 {
				t.Errorf("event %d claimed %d times under one lease", id, k)
			}
		}
	})
}
