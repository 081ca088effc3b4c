package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

func claimIDs(t *testing.T, s store.Store, now time.Time, limit int, lease time.Duration) map[int64]bool {
	t.Helper()
	feeds, err := s.ClaimDueFeeds(testContext(t), now, limit, lease)
	if err != nil {
		t.Fatalf("ClaimDueFeeds(limit %d): %v", limit, err)
	}
	ids := make(map[int64]bool, len(feeds))
	for _, f := range feeds {
		if ids[f.ID] {
			t.Fatalf("ClaimDueFeeds returned feed %d twice", f.ID)
		}
		ids[f.ID] = true
	}
	return ids
}

func testClaim(t *testing.T, open Opener) {
	t.Run("MakeAllDueLeavesLeasesAlone", func(t *testing.T) { testMakeAllDue(t, open) })
	t.Run("CensusCountsEachFeedOnce", func(t *testing.T) { testCensus(t, open) })
	t.Run("NewFeedIsDueAtOnce", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 1)
		due, err := s.NextDue(testContext(t))
		if err != nil {
			t.Fatalf("NextDue: %v", err)
		}
		if due.IsZero() || due.After(time.Now().Add(time.Second)) {
			t.Errorf("NextDue with one never-polled feed: want a time at or before now, got %v", due)
		}
		if got := claimIDs(t, s, time.Now().Add(time.Second), 10, time.Minute); !got[feeds[0].ID] {
			t.Errorf("a new feed must be claimable at once, claimed %v", got)
		}
	})

	t.Run("LateSaveAfterReclaimIsRefused", func(t *testing.T) {
		// A poll that outlives its lease must not overwrite or release the
		// claim of the worker that took the feed over.
		s := open(t)
		ctx := testContext(t)
		addFeeds(t, s, 1)
		now := time.Now().Add(time.Second)
		slow, err := s.ClaimDueFeeds(ctx, now, 1, time.Minute)
		if err != nil || len(slow) != 1 || slow[0].LeasedUntil.IsZero() {
			t.Fatalf("first claim: want one feed with its lease, got %+v, %v", slow, err)
		}
		taker, err := s.ClaimDueFeeds(ctx, now.Add(2*time.Minute), 1, time.Minute)
		if err != nil || len(taker) != 1 {
			t.Fatalf("claim after the lease expired: want the feed, got %+v, %v", taker, err)
		}
		late := store.PollResult{FeedID: slow[0].ID, State: store.FeedActive, PolledAt: now, NextPollAt: now, Status: 500, Lease: slow[0].LeasedUntil}
		if err := s.SaveFeedState(ctx, late); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("save with a replaced lease: want ErrLeaseLost, got %v", err)
		}
		if again := claimIDs(t, s, now.Add(2*time.Minute), 1, time.Minute); len(again) != 0 {
			t.Errorf("the taker's lease must still hold after the late save, claimed %v", again)
		}
		ok := store.PollResult{FeedID: taker[0].ID, State: store.FeedActive, PolledAt: now, NextPollAt: now.Add(time.Hour), Status: 200, Lease: taker[0].LeasedUntil}
		if err := s.SaveFeedState(ctx, ok); err != nil {
			t.Fatalf("save by the lease holder: %v", err)
		}
		feeds, err := s.Feeds(ctx)
		if err != nil || len(feeds) != 1 || feeds[0].LastStatus != 200 || !feeds[0].LeasedUntil.IsZero() {
			t.Errorf("after the holder's save: want status 200 and no lease, got %+v, %v", feeds, err)
		}
	})

	t.Run("LeaseHoldsUntilExpiryOrSave", func(t *testing.T) {
		s := open(t)
		ctx := testContext(t)
		feeds := addFeeds(t, s, 3)
		now := time.Now().Add(time.Second)
		first := claimIDs(t, s, now, 2, time.Minute)
		if len(first) != 2 {
			t.Fatalf("first claim with limit 2 of 3 due: want 2 feeds, got %d", len(first))
		}
		second := claimIDs(t, s, now, 10, time.Minute)
		if len(second) != 1 {
			t.Fatalf("second claim: want only the unleased feed, got %d feeds %v", len(second), second)
		}
		for id := range second {
			if first[id] {
				t.Errorf("feed %d claimed twice within its lease", id)
			}
		}
		if again := claimIDs(t, s, now.Add(30*time.Second), 10, time.Minute); len(again) != 0 {
			t.Errorf("claim within every lease: want none, got %v", again)
		}
		// Past the lease, a worker that died has lost its feeds.
		expired := claimIDs(t, s, now.Add(61*time.Second), 10, time.Minute)
		if len(expired) != 3 {
			t.Errorf("claim after every lease expired: want all 3 feeds, got %v", expired)
		}

		// SaveFeedState releases a lease; the next poll time then decides.
		var saved int64
		for id := range first {
			saved = id
			break
		}
		later := now.Add(61 * time.Second)
		if err := s.SaveFeedState(ctx, store.PollResult{FeedID: saved, State: store.FeedActive, PolledAt: later, NextPollAt: later, Status: 200}); err != nil {
			t.Fatalf("SaveFeedState: %v", err)
		}
		if got := claimIDs(t, s, later, 10, time.Minute); len(got) != 1 || !got[saved] {
			t.Errorf("claim after SaveFeedState released feed %d: want only it, got %v", saved, got)
		}
		_ = feeds
	})

	t.Run("BatchSaveGivesEachItsOwnOutcome", func(t *testing.T) {
		// One lost lease, one unknown feed and one move onto a taken URL
		// must not cost the other results of the batch.
		s := open(t)
		ctx := testContext(t)
		feeds := addFeeds(t, s, 4)
		now := time.Now().Add(time.Second)
		claimed, err := s.ClaimDueFeeds(ctx, now, 4, time.Minute)
		if err != nil || len(claimed) != 4 {
			t.Fatalf("claim: want 4 feeds, got %d, %v", len(claimed), err)
		}
		byID := map[int64]store.Feed{}
		for _, f := range claimed {
			byID[f.ID] = f
		}
		next := now.Add(time.Hour)
		result := func(f store.Feed, status int) store.PollResult {
			return store.PollResult{FeedID: f.ID, URL: f.URL, State: store.FeedActive, ETag: `"v2"`,
				PolledAt: now, NextPollAt: next, Status: status, Lease: byID[f.ID].LeasedUntil}
		}
		ok := result(feeds[0], 304)
		stale := result(feeds[1], 500)
		stale.Lease = stale.Lease.Add(-time.Second) // another claim's lease
		unknown := result(feeds[2], 200)
		unknown.FeedID = feeds[3].ID + 1000
		taken := result(feeds[2], 200)
		taken.URL = feeds[3].URL // a redirect onto a URL another feed has

		errs := s.SaveFeedStates(ctx, []store.PollResult{ok, stale, unknown, taken})
		if len(errs) != 4 {
			t.Fatalf("SaveFeedStates of 4 results: want 4 errors, got %d", len(errs))
		}
		for i, want := range []error{nil, store.ErrLeaseLost, store.ErrNotFound, nil} {
			if (want == nil && errs[i] != nil) || (want != nil && !errors.Is(errs[i], want)) {
				t.Errorf("result %d: want %v, got %v", i, want, errs[i])
			}
		}
		got := feedByURL(t, s, feeds[0].URL)
		if got.LastStatus != 304 || got.ETag != `"v2"` || !sameInstant(got.NextPollAt, next) || !got.LeasedUntil.IsZero() {
			t.Errorf("saved result: want status 304, etag v2, next %v, no lease; got %d %s %v %v",
				next, got.LastStatus, got.ETag, got.NextPollAt, got.LeasedUntil)
		}
		if got := feedByURL(t, s, feeds[1].URL); got.LastStatus == 500 || got.LeasedUntil.IsZero() {
			t.Errorf("result with a lost lease: want nothing saved and the lease kept; got status %d, lease %v", got.LastStatus, got.LeasedUntil)
		}
		if got := feedByURL(t, s, feeds[2].URL); got.LastStatus != 200 || !got.LeasedUntil.IsZero() {
			t.Errorf("move onto a taken URL: want the old URL kept and the rest saved; got status %d, lease %v", got.LastStatus, got.LeasedUntil)
		}
		if got := feedByURL(t, s, feeds[3].URL); got.ID != feeds[3].ID {
			t.Errorf("the feed that has the URL: want feed %d, got %d", feeds[3].ID, got.ID)
		}
		if errs := s.SaveFeedStates(ctx, nil); len(errs) != 0 {
			t.Errorf("SaveFeedStates of nothing: want no errors, got %v", errs)
		}
	})

	t.Run("BatchSaveWritesWhatASaveWrites", func(t *testing.T) {
		// Feeds 0 and 2 get their results one by one, their twins 1 and 3
		// the same results in one batch: every field must come out alike.
		s := open(t)
		ctx := testContext(t)
		feeds := addFeeds(t, s, 4)
		dates := []time.Time{base.Add(-time.Hour), base.Add(-2 * time.Hour)}
		for _, f := range feeds[2:] {
			if err := s.SaveFeedState(ctx, store.PollResult{FeedID: f.ID, State: store.FeedActive, PolledAt: base,
				NextPollAt: base.Add(time.Hour), ItemDates: dates}); err != nil {
				t.Fatal(err)
			}
		}
		full := func(f store.Feed) store.PollResult {
			return store.PollResult{FeedID: f.ID, URL: f.URL + "?moved", State: store.FeedBlocked, ETag: `W/"x"`,
				LastModified: "Fri, 14 Mar 2025 09:26:53 GMT", BodyHash: "beef", PolledAt: base.Add(time.Minute),
				NextPollAt: base.Add(3 * time.Hour), Status: 403, Error: "challenge", ConsecutiveErrors: 2,
				IdentityPolicy: "link", RedirectTo: "http://127.0.0.1/new.xml", ItemDates: []time.Time{base}}
		}
		keeping := func(f store.Feed) store.PollResult { // keeps state, next poll and item dates
			return store.PollResult{FeedID: f.ID, PolledAt: base.Add(2 * time.Minute), Status: 304, ETag: `"e"`}
		}
		if err := s.SaveFeedState(ctx, full(feeds[0])); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveFeedState(ctx, keeping(feeds[2])); err != nil {
			t.Fatal(err)
		}
		for i, err := range s.SaveFeedStates(ctx, []store.PollResult{full(feeds[1]), keeping(feeds[3])}) {
			if err != nil {
				t.Fatalf("batch result %d: %v", i, err)
			}
		}
		for _, pair := range [][2]string{{feeds[0].URL + "?moved", feeds[1].URL + "?moved"}, {feeds[2].URL, feeds[3].URL}} {
			one, batch := feedByURL(t, s, pair[0]), feedByURL(t, s, pair[1])
			one.ID, one.URL, one.Name, batch.ID, batch.URL, batch.Name = 0, "", "", 0, "", ""
			if !sameInstant(one.LastPollAt, batch.LastPollAt) || !sameInstant(one.NextPollAt, batch.NextPollAt) {
				t.Errorf("poll times: one by one %v, %v; in a batch %v, %v", one.LastPollAt, one.NextPollAt, batch.LastPollAt, batch.NextPollAt)
			}
			one.LastPollAt, one.NextPollAt, batch.LastPollAt, batch.NextPollAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if fmt.Sprint(one) != fmt.Sprint(batch) {
				t.Errorf("saved one by one and in a batch differ:\n one  %+v\n batch %+v", one, batch)
			}
		}
		if got := feedByURL(t, s, feeds[3].URL); len(got.ItemDates) != len(dates) || got.State != store.FeedActive {
			t.Errorf("a batch result without dates or state must keep them: got %v, %q", got.ItemDates, got.State)
		}
	})

	t.Run("NotDueUntilNextPoll", func(t *testing.T) {
		s := open(t)
		ctx := testContext(t)
		feeds := addFeeds(t, s, 2)
		next := base.Add(time.Hour)
		for _, f := range feeds {
			if err := s.SaveFeedState(ctx, store.PollResult{FeedID: f.ID, State: store.FeedActive, PolledAt: base, NextPollAt: next}); err != nil {
				t.Fatalf("SaveFeedState: %v", err)
			}
		}
		if got := claimIDs(t, s, next.Add(-time.Second), 10, time.Minute); len(got) != 0 {
			t.Errorf("claim before NextPollAt: want none, got %v", got)
		}
		due, err := s.NextDue(ctx)
		if err != nil {
			t.Fatalf("NextDue: %v", err)
		}
		if !sameInstant(due, next) {
			t.Errorf("NextDue: want %v, got %v", next, due)
		}
		if got := claimIDs(t, s, next, 10, time.Minute); len(got) != 2 {
			t.Errorf("claim at NextPollAt: want both feeds, got %v", got)
		}
	})

	t.Run("NextDueIsZeroWithoutActiveFeeds", func(t *testing.T) {
		s := open(t)
		feeds := addFeeds(t, s, 1)
		if err := s.SetFeedState(testContext(t), feeds[0].URL, store.FeedDisabled); err != nil {
			t.Fatalf("SetFeedState: %v", err)
		}
		due, err := s.NextDue(testContext(t))
		if err != nil || !due.IsZero() {
			t.Errorf("NextDue with no active feed: want zero time, got %v, %v", due, err)
		}
	})

	t.Run("ConcurrentClaimersGetDisjointSets", func(t *testing.T) {
		s := open(t)
		const feedsN, workers = 40, 8
		addFeeds(t, s, feedsN)
		now := time.Now().Add(time.Second)
		var (
			mu    sync.Mutex
			owner = map[int64]int{}
			dup   []int64
			wg    sync.WaitGroup
			errs  = make(chan error, workers*feedsN)
		)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for round := 0; round < feedsN; round++ {
					got, err := s.ClaimDueFeeds(testContext(t), now, 3, time.Minute)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, f := range got {
						if _, taken := owner[f.ID]; taken {
							dup = append(dup, f.ID)
						}
						owner[f.ID] = w
					}
					mu.Unlock()
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent ClaimDueFeeds: %v", err)
		}
		if len(dup) > 0 {
			t.Errorf("feeds claimed by two workers within one lease: %v", dup)
		}
		if len(owner) != feedsN {
			t.Errorf("concurrent claimers: want all %d feeds claimed once, got %d", feedsN, len(owner))
		}
	})
}

func testFeedState(t *testing.T, open Opener) {
	s := open(t)
	ctx := testContext(t)
	feeds := addFeeds(t, s, 2)
	f := feeds[0]
	r := store.PollResult{
		FeedID:            f.ID,
		URL:               "http://127.0.0.1/moved.xml",
		State:             store.FeedBlocked,
		ETag:              `W/"abc"`,
		LastModified:      "Fri, 14 Mar 2025 09:26:53 GMT",
		BodyHash:          "deadbeef",
		PolledAt:          base,
		NextPollAt:        base.Add(90 * time.Minute),
		Status:            403,
		Error:             "bot challenge",
		ConsecutiveErrors: 3,
		IdentityPolicy:    "link",
		RedirectTo:        "http://127.0.0.1/elsewhere.xml",
	}
	if err := s.SaveFeedState(ctx, r); err != nil {
		t.Fatalf("SaveFeedState: %v", err)
	}
	got := feedByURL(t, s, r.URL)
	checks := []struct {
		field     string
		got, want any
	}{
		{"ID", got.ID, f.ID},
		{"State", got.State, r.State},
		{"ETag", got.ETag, r.ETag},
		{"LastModified", got.LastModified, r.LastModified},
		{"BodyHash", got.BodyHash, r.BodyHash},
		{"LastStatus", got.LastStatus, r.Status},
		{"LastError", got.LastError, r.Error},
		{"ConsecutiveErrors", got.ConsecutiveErrors, r.ConsecutiveErrors},
		{"IdentityPolicy", got.IdentityPolicy, r.IdentityPolicy},
		{"RedirectTo", got.RedirectTo, r.RedirectTo},
		{"LastPollAt", sameInstant(got.LastPollAt, r.PolledAt), true},
		{"NextPollAt", sameInstant(got.NextPollAt, r.NextPollAt), true},
		{"LeasedUntil", got.LeasedUntil.IsZero(), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("after SaveFeedState, %s: want %v, got %v", c.field, c.want, c.got)
		}
	}

	// Empty URL and State mean "unchanged".
	if err := s.SaveFeedState(ctx, store.PollResult{FeedID: f.ID, PolledAt: base, NextPollAt: base, Status: 304}); err != nil {
		t.Fatalf("SaveFeedState without URL/State: %v", err)
	}
	if got := feedByURL(t, s, r.URL); got.State != store.FeedBlocked || got.LastStatus != 304 {
		t.Errorf("empty URL and State must keep them: want blocked at %s, got %q status %d", r.URL, got.State, got.LastStatus)
	}

	if err := s.SaveFeedState(ctx, store.PollResult{FeedID: f.ID + feeds[1].ID + 1000}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveFeedState of an unknown feed id: want ErrNotFound, got %v", err)
	}
}

// testMakeAllDue: `poll -now` makes every polled feed due at once, but a
// feed another worker has leased stays with it.
func testMakeAllDue(t *testing.T, open Opener) {
	s := open(t)
	dm, ok := s.(store.DueMaker)
	if !ok {
		t.Skip("store has no MakeAllDue")
	}
	ctx := testContext(t)
	feeds := addFeeds(t, s, 3)
	now := time.Now()
	for _, f := range feeds {
		if err := s.SaveFeedState(ctx, store.PollResult{FeedID: f.ID, State: store.FeedActive, PolledAt: now, NextPollAt: now.Add(time.Hour)}); err != nil {
			t.Fatalf("SaveFeedState: %v", err)
		}
	}
	if got := claimIDs(t, s, now, 10, time.Minute); len(got) != 0 {
		t.Fatalf("claim before MakeAllDue: want none, got %v", got)
	}
	if err := s.RemoveFeed(ctx, feeds[2].URL); err != nil {
		t.Fatal(err)
	}
	n, err := dm.MakeAllDue(ctx, now)
	if err != nil || n != 2 {
		t.Fatalf("MakeAllDue: moved %d (err %v), want the 2 active feeds", n, err)
	}
	got := claimIDs(t, s, now, 1, time.Minute) // one feed leased by "another worker"
	if len(got) != 1 {
		t.Fatalf("claim after MakeAllDue: want 1, got %v", got)
	}
	if n, err := dm.MakeAllDue(ctx, now); err != nil || n != 0 {
		t.Errorf("MakeAllDue again: moved %d (err %v), want 0: both are due already", n, err)
	}
	rest := claimIDs(t, s, now, 10, time.Minute)
	if len(rest) != 1 {
		t.Errorf("second claim: want only the unleased active feed, got %v (first took %v)", rest, got)
	}
	for id := range rest {
		if got[id] || id == feeds[2].ID {
			t.Errorf("second claim took feed %d, leased or disabled", id)
		}
	}
}

// testCensus: every feed is counted once, in the category that says why a
// pass claiming at that instant would or would not poll it, and the
// census agrees with what ClaimDueFeeds then takes.
func testCensus(t *testing.T, open Opener) {
	s := open(t)
	ctx := testContext(t)
	feeds := addFeeds(t, s, 9)
	now := time.Now().Add(time.Second)
	save := func(f store.Feed, state store.FeedState, next time.Time, errs int) {
		t.Helper()
		r := store.PollResult{FeedID: f.ID, State: state, PolledAt: now.Add(-time.Hour), NextPollAt: next, ConsecutiveErrors: errs}
		if err := s.SaveFeedState(ctx, r); err != nil {
			t.Fatalf("SaveFeedState: %v", err)
		}
	}
	// 0, 1: due (new; blocked and due again). 2, 3: due later, 3 after
	// errors. 4: leased by another worker. 5, 6: disabled (one of them
	// leased before). 7: gone. 8: due in exactly now.
	save(feeds[1], store.FeedBlocked, now.Add(-10*time.Second), 2)
	save(feeds[2], store.FeedActive, now.Add(2*time.Hour), 0)
	save(feeds[3], store.FeedActive, now.Add(time.Hour), 4)
	for _, f := range []store.Feed{feeds[4], feeds[6]} {
		save(f, store.FeedActive, now.Add(-time.Minute), 0)
	}
	save(feeds[8], store.FeedActive, now, 0)
	taken, err := s.ClaimDueFeeds(ctx, now.Add(-30*time.Second), 10, time.Hour)
	if err != nil || len(taken) != 2 {
		t.Fatalf("claim of the two feeds due a minute ago: got %d feeds, %v", len(taken), err)
	}
	if err := s.RemoveFeed(ctx, feeds[5].URL); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, feeds[6].URL); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFeedState(ctx, feeds[7].URL, store.FeedGone); err != nil {
		t.Fatal(err)
	}

	got, err := s.Census(ctx, now)
	if err != nil {
		t.Fatalf("Census: %v", err)
	}
	want := store.FeedCensus{Due: 3, NotDue: 2, BackingOff: 1, NextDue: now.Add(time.Hour), Leased: 1, Disabled: 2, Gone: 1}
	if !sameInstant(got.NextDue, want.NextDue) {
		t.Errorf("Census NextDue: want %v, got %v", want.NextDue, got.NextDue)
	}
	got.NextDue = want.NextDue
	if got != want {
		t.Errorf("Census:\n got %+v\nwant %+v", got, want)
	}
	if claimed := claimIDs(t, s, now, 100, time.Minute); len(claimed) != got.Due {
		t.Errorf("a claim at the census's instant took %d feeds; the census said %d are due", len(claimed), got.Due)
	}
	if after, err := s.Census(ctx, now); err != nil || after.Due != 0 || after.Leased != got.Leased+got.Due {
		t.Errorf("Census after claiming the due feeds: %+v, %v; want none due and %d leased", after, err, got.Leased+got.Due)
	}
}
