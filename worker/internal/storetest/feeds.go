package storetest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

func statesByURL(t *testing.T, s store.Store) map[string]store.Feed {
	t.Helper()
	feeds, err := s.Feeds(testContext(t))
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	m := make(map[string]store.Feed, len(feeds))
	for _, f := range feeds {
		m[f.URL] = f
	}
	return m
}

func testFeeds(t *testing.T, open Opener) {
	const a, b, c = "http://127.0.0.1/a.xml", "http://127.0.0.1/b.xml", "http://127.0.0.1/c.xml"

	t.Run("SyncAddsUpdatesAndDisables", func(t *testing.T) {
		s := open(t)
		ctx := testContext(t)
		first := []store.FeedConfig{
			{URL: a, Name: "A", Tags: []string{"wire", "world"}, Interval: 15 * time.Minute},
			{URL: b, Name: "B"},
		}
		if err := s.SyncFeeds(ctx, first); err != nil {
			t.Fatalf("SyncFeeds(first): %v", err)
		}
		got := statesByURL(t, s)
		if len(got) != 2 || got[a].State != store.FeedActive || got[b].State != store.FeedActive {
			t.Fatalf("after first sync: want a and b active, got %+v", got)
		}
		if got[a].Name != "A" || got[a].Interval != 15*time.Minute || len(got[a].Tags) != 2 || got[a].Tags[0] != "wire" || got[a].Tags[1] != "world" {
			t.Errorf("feed a config: want name A, interval 15m, tags [wire world]; got %q %v %v", got[a].Name, got[a].Interval, got[a].Tags)
		}
		idA := got[a].ID

		second := []store.FeedConfig{{URL: a, Name: "A renamed"}, {URL: c, Name: "C"}}
		if err := s.SyncFeeds(ctx, second); err != nil {
			t.Fatalf("SyncFeeds(second): %v", err)
		}
		got = statesByURL(t, s)
		want := map[string]store.FeedState{a: store.FeedActive, b: store.FeedDisabled, c: store.FeedActive}
		for url, state := range want {
			if got[url].State != state {
				t.Errorf("after second sync, feed %s: want state %q, got %q", url, state, got[url].State)
			}
		}
		if got[a].ID != idA || got[a].Name != "A renamed" || got[a].Interval != 0 || len(got[a].Tags) != 0 {
			t.Errorf("feed a after resync: want same id %d, name %q, no interval or tags; got id %d %q %v %v",
				idA, "A renamed", got[a].ID, got[a].Name, got[a].Interval, got[a].Tags)
		}

		if err := s.SyncFeeds(ctx, first); err != nil {
			t.Fatalf("SyncFeeds(first again): %v", err)
		}
		got = statesByURL(t, s)
		if got[b].State != store.FeedActive || got[c].State != store.FeedDisabled {
			t.Errorf("feed back in the list must be re-enabled and dropped one disabled: got b=%q c=%q", got[b].State, got[c].State)
		}
	})

	t.Run("SyncOfTheSameListUndoesChangesMadeBeside", func(t *testing.T) {
		// An unchanged feeds file writes nothing, but what `feeds rm` or
		// `feeds add` changed in the database alone is still put back.
		s := open(t)
		ctx := testContext(t)
		list := []store.FeedConfig{{URL: a, Name: "A"}, {URL: b, Tags: []string{"wire"}}}
		for range 2 {
			if err := s.SyncFeeds(ctx, list); err != nil {
				t.Fatalf("SyncFeeds: %v", err)
			}
		}
		if err := s.RemoveFeed(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.AddFeed(ctx, store.FeedConfig{URL: c}); err != nil {
			t.Fatal(err)
		}
		if err := s.SyncFeeds(ctx, list); err != nil {
			t.Fatalf("SyncFeeds after changes beside it: %v", err)
		}
		got := statesByURL(t, s)
		want := map[string]store.FeedState{a: store.FeedActive, b: store.FeedActive, c: store.FeedDisabled}
		for url, state := range want {
			if got[url].State != state {
				t.Errorf("after syncing the same list, feed %s: want state %q, got %q", url, state, got[url].State)
			}
		}
		if got[a].Name != "A" || len(got[b].Tags) != 1 {
			t.Errorf("configuration lost: a named %q, b tagged %v", got[a].Name, got[b].Tags)
		}
	})

	t.Run("SyncAfterOneChangeBesideComparesAgain", func(t *testing.T) {
		// A store may skip the comparison of a list it synced last (by a
		// digest of the list): each change made to the feeds since, by any
		// path, must make the next sync of that list compare and put the
		// listed feeds back. One change per case, so none hides another.
		list := []store.FeedConfig{{URL: a, Name: "A"}, {URL: b, Tags: []string{"wire"}}}
		for _, tc := range []struct {
			name   string
			change func(ctx context.Context, s store.Store) error
			want   map[string]store.FeedState
		}{
			{"a listed feed removed", func(ctx context.Context, s store.Store) error {
				return s.RemoveFeed(ctx, a)
			}, map[string]store.FeedState{a: store.FeedActive, b: store.FeedActive, c: store.FeedDisabled}},
			{"a feed added", func(ctx context.Context, s store.Store) error {
				return s.AddFeed(ctx, store.FeedConfig{URL: c})
			}, map[string]store.FeedState{a: store.FeedActive, b: store.FeedActive, c: store.FeedDisabled}},
			{"an unlisted feed enabled again", func(ctx context.Context, s store.Store) error {
				return s.SetFeedState(ctx, c, store.FeedActive)
			}, map[string]store.FeedState{a: store.FeedActive, b: store.FeedActive, c: store.FeedDisabled}},
			{"a listed feed disabled by a save", func(ctx context.Context, s store.Store) error {
				return s.SaveFeedState(ctx, store.PollResult{FeedID: feedIDOf(t, s, a), State: store.FeedDisabled, PolledAt: base})
			}, map[string]store.FeedState{a: store.FeedActive, b: store.FeedActive, c: store.FeedDisabled}},
			{"a listed feed moved by a save", func(ctx context.Context, s store.Store) error {
				return s.SaveFeedState(ctx, store.PollResult{FeedID: feedIDOf(t, s, a), URL: a + "?moved", PolledAt: base})
			}, map[string]store.FeedState{a: store.FeedActive, b: store.FeedActive, c: store.FeedDisabled, a + "?moved": store.FeedDisabled}},
			{"a listed feed moved by a batch of saves", func(ctx context.Context, s store.Store) error {
				return errors.Join(s.SaveFeedStates(ctx, []store.PollResult{
					{FeedID: feedIDOf(t, s, b), URL: b + "?moved", PolledAt: base}})...)
			}, map[string]store.FeedState{a: store.FeedActive, b: store.FeedActive, c: store.FeedDisabled, b + "?moved": store.FeedDisabled}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := open(t)
				ctx := testContext(t)
				// c is known and disabled, as a feed dropped from the file is.
				for _, l := range [][]store.FeedConfig{append(slices.Clone(list), store.FeedConfig{URL: c}), list, list} {
					if err := s.SyncFeeds(ctx, l); err != nil {
						t.Fatalf("SyncFeeds: %v", err)
					}
				}
				if err := tc.change(ctx, s); err != nil {
					t.Fatalf("change beside the list: %v", err)
				}
				if err := s.SyncFeeds(ctx, list); err != nil {
					t.Fatalf("SyncFeeds after the change: %v", err)
				}
				got := statesByURL(t, s)
				for url, state := range tc.want {
					if got[url].State != state {
						t.Errorf("after syncing the same list, feed %s: want state %q, got %q", url, state, got[url].State)
					}
				}
				if len(got) != len(tc.want) {
					urls := slices.Sorted(maps.Keys(got))
					t.Errorf("after syncing the same list: want the feeds %v, got %v", tc.want, urls)
				}
			})
		}
	})

	t.Run("SyncOfAListAfterAnotherList", func(t *testing.T) {
		// Two workers with different feeds files on one database: each
		// sync makes the feeds its own list, even of a list synced before.
		s := open(t)
		ctx := testContext(t)
		one := []store.FeedConfig{{URL: a}, {URL: b, Name: "B"}}
		other := []store.FeedConfig{{URL: b, Name: "B elsewhere"}, {URL: c}}
		for i, l := range [][]store.FeedConfig{one, one, other, one} {
			if err := s.SyncFeeds(ctx, l); err != nil {
				t.Fatalf("SyncFeeds %d: %v", i, err)
			}
		}
		got := statesByURL(t, s)
		if got[a].State != store.FeedActive || got[b].Name != "B" || got[c].State != store.FeedDisabled {
			t.Errorf("after the first list again: want a active, b named B, c disabled; got %q, %q, %q",
				got[a].State, got[b].Name, got[c].State)
		}
	})

	t.Run("SyncKeepsGoneState", func(t *testing.T) {
		s := open(t)
		ctx := testContext(t)
		if err := s.SyncFeeds(ctx, []store.FeedConfig{{URL: a}}); err != nil {
			t.Fatalf("SyncFeeds: %v", err)
		}
		if err := s.SetFeedState(ctx, a, store.FeedGone); err != nil {
			t.Fatalf("SetFeedState(gone): %v", err)
		}
		if err := s.SyncFeeds(ctx, []store.FeedConfig{{URL: a, Name: "still listed"}}); err != nil {
			t.Fatalf("SyncFeeds again: %v", err)
		}
		if got := statesByURL(t, s)[a]; got.State != store.FeedGone || got.Name != "still listed" {
			t.Errorf("a gone feed still listed: want state gone and name updated, got %q %q", got.State, got.Name)
		}
		if err := s.SetFeedState(ctx, a, store.FeedActive); err != nil {
			t.Fatalf("SetFeedState(active): %v", err)
		}
		if got := statesByURL(t, s)[a].State; got != store.FeedActive {
			t.Errorf("re-enabled feed: want active, got %q", got)
		}
	})

	t.Run("AddRemoveErrors", func(t *testing.T) {
		s := open(t)
		ctx := testContext(t)
		if err := s.AddFeed(ctx, store.FeedConfig{URL: a, Name: "A"}); err != nil {
			t.Fatalf("AddFeed: %v", err)
		}
		if err := s.AddFeed(ctx, store.FeedConfig{URL: a}); !errors.Is(err, store.ErrFeedExists) {
			t.Errorf("AddFeed of an active feed: want ErrFeedExists, got %v", err)
		}
		if err := s.RemoveFeed(ctx, b); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("RemoveFeed of an unknown feed: want ErrNotFound, got %v", err)
		}
		if err := s.SetFeedState(ctx, b, store.FeedActive); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetFeedState of an unknown feed: want ErrNotFound, got %v", err)
		}
		if err := s.RemoveFeed(ctx, a); err != nil {
			t.Fatalf("RemoveFeed: %v", err)
		}
		if got := statesByURL(t, s)[a].State; got != store.FeedDisabled {
			t.Errorf("removed feed (kept for its articles): want state disabled, got %q", got)
		}
		if err := s.AddFeed(ctx, store.FeedConfig{URL: a, Name: "A again"}); err != nil {
			t.Fatalf("AddFeed of a removed feed must re-enable it, got %v", err)
		}
		if got := statesByURL(t, s)[a]; got.State != store.FeedActive || got.Name != "A again" {
			t.Errorf("re-added feed: want active %q, got %q %q", "A again", got.State, got.Name)
		}
	})

	t.Run("DisabledAndGoneAreNotDue", func(t *testing.T) {
		s := open(t)
		ctx := testContext(t)
		feeds := addFeeds(t, s, 4)
		for i, state := range []store.FeedState{store.FeedDisabled, store.FeedGone} {
			if err := s.SetFeedState(ctx, feeds[i].URL, state); err != nil {
				t.Fatalf("SetFeedState(%s): %v", state, err)
			}
		}
		if err := s.SetFeedState(ctx, feeds[2].URL, store.FeedBlocked); err != nil {
			t.Fatalf("SetFeedState(blocked): %v", err)
		}
		claimed, err := s.ClaimDueFeeds(ctx, time.Now().Add(time.Minute), 10, time.Minute)
		if err != nil {
			t.Fatalf("ClaimDueFeeds: %v", err)
		}
		got := map[string]bool{}
		for _, f := range claimed {
			got[f.URL] = true
		}
		// Blocked feeds are still polled (with backoff); disabled and gone are not.
		if len(claimed) != 2 || !got[feeds[2].URL] || !got[feeds[3].URL] {
			t.Errorf("claim: want the blocked and the active feed, got %v", got)
		}
	})
}

// feedIDOf is the id of the stored feed with url.
func feedIDOf(t *testing.T, s store.Store, url string) int64 {
	t.Helper()
	f, ok := statesByURL(t, s)[url]
	if !ok {
		t.Fatalf("no stored feed %s", url)
	}
	return f.ID
}
