package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// openAlone is openTemp for a sole claimer, with n feeds listed.
func openAlone(t *testing.T, n int) *Store {
	t.Helper()
	s := openTemp(t, Options{})
	syncBenchFeeds(t, s, n)
	if _, err := s.ClaimAlone(context.Background()); err != nil {
		t.Fatalf("ClaimAlone: %v", err)
	}
	return s
}

// polled is the result of a poll of f that answered 304 at now.
func polled(f store.Feed, now time.Time) store.PollResult {
	return store.PollResult{FeedID: f.ID, PolledAt: now, NextPollAt: now.Add(time.Hour), Status: 304, Lease: f.LeasedUntil}
}

// TestClaimingAlonePassTakesEachFeedOnce: a pass as the pipeline runs it,
// claims running ahead of the saves of earlier batches, takes every due
// feed exactly once, and writes no lease to the file.
func TestClaimingAlonePassTakesEachFeedOnce(t *testing.T) {
	for _, tc := range []struct {
		name           string
		feeds, batch   int
		savesLagClaims int // batches claimed before the oldest is saved
	}{
		{"saved before the next claim", 100, 10, 0},
		{"two batches in flight", 100, 10, 2},
		{"batch larger than the feeds", 7, 10, 1},
		{"uneven last batch", 95, 10, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openAlone(t, tc.feeds)
			ctx := context.Background()
			now := time.Now().Add(time.Second)
			seen := make(map[int64]int)
			var inFlight [][]store.Feed
			saveOldest := func() {
				var rs []store.PollResult
				for _, f := range inFlight[0] {
					rs = append(rs, polled(f, now))
				}
				for i, err := range s.SaveFeedStates(ctx, rs) {
					if err != nil {
						t.Fatalf("save %d: %v", i, err)
					}
				}
				inFlight = inFlight[1:]
			}
			for {
				feeds, err := s.ClaimDueFeeds(ctx, now, tc.batch, time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				if len(feeds) == 0 {
					break
				}
				for _, f := range feeds {
					seen[f.ID]++
				}
				if len(feeds) == tc.batch && s.alone.Load().resumeAt(now.UnixMicro()) == nil {
					t.Errorf("after a whole batch, the next claim starts from the start; want it to resume after feed %d", feeds[len(feeds)-1].ID)
				}
				inFlight = append(inFlight, feeds)
				if len(inFlight) > tc.savesLagClaims {
					saveOldest()
				}
			}
			for len(inFlight) > 0 {
				saveOldest()
			}
			if len(seen) != tc.feeds {
				t.Errorf("pass claimed %d distinct feeds; want %d", len(seen), tc.feeds)
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("feed %d claimed %d times in one pass", id, n)
				}
			}
			var stored int
			if err := s.write.QueryRow(`SELECT count(*) FROM feed_leases`).Scan(&stored); err != nil || stored != 0 {
				t.Errorf("feed_leases holds %d rows (%v); a sole claimer writes none", stored, err)
			}
		})
	}
}

// TestClaimingAloneFindsFeedsDueBehindItsPlace: a claim resumes after the
// last feed claimed, so a feed that is due again before that place (its
// lease handed back, a state saved with a due time already past) must come
// first in the next claim, earliest due first.
func TestClaimingAloneFindsFeedsDueBehindItsPlace(t *testing.T) {
	ctx := context.Background()
	now := time.Now().Add(time.Second)
	for _, tc := range []struct {
		name string
		save func(f store.Feed) store.PollResult
	}{
		{"lease handed back", func(f store.Feed) store.PollResult {
			// The pipeline's release: the state as claimed, no lease.
			return store.PollResult{FeedID: f.ID, NextPollAt: f.NextPollAt, ETag: f.ETag}
		}},
		{"due time already past", func(f store.Feed) store.PollResult {
			r := polled(f, now)
			r.NextPollAt = f.NextPollAt.Add(-time.Minute)
			return r
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openAlone(t, 30)
			var first []store.Feed
			for range 2 {
				feeds, err := s.ClaimDueFeeds(ctx, now, 10, time.Minute)
				if err != nil || len(feeds) != 10 {
					t.Fatalf("claim: %d feeds, %v", len(feeds), err)
				}
				first = append(first, feeds...)
			}
			back := first[0]
			if err := s.SaveFeedState(ctx, tc.save(back)); err != nil {
				t.Fatal(err)
			}
			next, err := s.ClaimDueFeeds(ctx, now, 10, time.Minute)
			if err != nil || len(next) == 0 {
				t.Fatalf("claim: %d feeds, %v", len(next), err)
			}
			if next[0].ID != back.ID {
				t.Errorf("next claim starts with feed %d; want feed %d, due again and earliest", next[0].ID, back.ID)
			}
		})
	}
}

// TestClaimingAloneDisabledFeedLosesItsLease: disabling a feed, by name or
// by leaving it out of the list, ends its lease as it deletes a stored
// one, so the poll under way cannot write it back to life.
func TestClaimingAloneDisabledFeedLosesItsLease(t *testing.T) {
	ctx := context.Background()
	now := time.Now().Add(time.Second)
	for _, tc := range []struct {
		name    string
		disable func(s *Store, f store.Feed) error
	}{
		{"RemoveFeed", func(s *Store, f store.Feed) error { return s.RemoveFeed(ctx, f.URL) }},
		{"SyncFeeds without it", func(s *Store, f store.Feed) error {
			var rest []store.FeedConfig
			for _, c := range benchFeedConfigs(3) {
				if c.URL != f.URL {
					rest = append(rest, c)
				}
			}
			return s.SyncFeeds(ctx, rest)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openAlone(t, 3)
			feeds, err := s.ClaimDueFeeds(ctx, now, 10, time.Minute)
			if err != nil || len(feeds) != 3 {
				t.Fatalf("claim: %d feeds, %v", len(feeds), err)
			}
			if err := tc.disable(s, feeds[0]); err != nil {
				t.Fatal(err)
			}
			r := polled(feeds[0], now)
			r.State = store.FeedActive
			if err := s.SaveFeedState(ctx, r); !errors.Is(err, store.ErrLeaseLost) {
				t.Errorf("save of the disabled feed's poll: %v; want ErrLeaseLost", err)
			}
			if err := s.SaveFeedState(ctx, polled(feeds[1], now)); err != nil {
				t.Errorf("save of another feed's poll: %v", err)
			}
		})
	}
}

// TestClaimingAloneKeepsTheDueOrder: a claim that resumes, finds too few
// and fills up from the start (feeds whose leases ran out meanwhile) still
// hands its feeds over earliest due first.
func TestClaimingAloneKeepsTheDueOrder(t *testing.T) {
	ctx := context.Background()
	s := openAlone(t, 15)
	now := time.Now().Add(time.Second)
	first, err := s.ClaimDueFeeds(ctx, now, 10, time.Minute)
	if err != nil || len(first) != 10 {
		t.Fatalf("first claim: %d feeds, %v", len(first), err)
	}
	// The first ten were never saved; their leases have run out.
	later := now.Add(2 * time.Minute)
	next, err := s.ClaimDueFeeds(ctx, later, 10, time.Minute)
	if err != nil || len(next) != 10 {
		t.Fatalf("claim after the leases ran out: %d feeds, %v; want 10", len(next), err)
	}
	for i := 1; i < len(next); i++ {
		a, b := next[i-1], next[i]
		if b.NextPollAt.Before(a.NextPollAt) || (b.NextPollAt.Equal(a.NextPollAt) && b.ID < a.ID) {
			t.Fatalf("claim out of due order at %d: feed %d (%v) before feed %d (%v)", i, a.ID, a.NextPollAt, b.ID, b.NextPollAt)
		}
	}
	if next[0].ID != first[0].ID {
		t.Errorf("claim starts with feed %d; want feed %d, whose lease ran out", next[0].ID, first[0].ID)
	}
}

// TestClaimingAloneSavesEachResultWhole: a batch of results, most of them
// polls that kept the state they were claimed with (written a few at a time,
// times and status only), beside results that change the state, lost their
// lease or whose feed is gone, or that name one feed twice: each gets its
// own outcome, and every feed reads back as its result left it.
func TestClaimingAloneSavesEachResultWhole(t *testing.T) {
	ctx := context.Background()
	now := time.Now().Add(time.Second)
	for _, tc := range []struct {
		name string
		// edit turns the results of a batch of 85 kept states (64+16+4+1
		// rows of the touch statements) into the case; want is each
		// result's error.
		edit func(t *testing.T, s *Store, rs []store.PollResult) []store.PollResult
		want func(i int) error
	}{
		{"every state kept", func(t *testing.T, s *Store, rs []store.PollResult) []store.PollResult { return rs }, nil},
		{"some change the state", func(t *testing.T, s *Store, rs []store.PollResult) []store.PollResult {
			rs[3].ETag, rs[40].ConsecutiveErrors, rs[40].Error, rs[84].RedirectTo = `"v2"`, 1, "HTTP 503", "http://127.0.0.1:1/moved.xml"
			rs[7].NextPollAt = time.Time{} // keeps the stored due time
			return rs
		}, nil},
		{"a lost lease and a gone feed", func(t *testing.T, s *Store, rs []store.PollResult) []store.PollResult {
			rs[5].Lease = rs[5].Lease.Add(-time.Second)
			if _, err := s.write.Exec(`DELETE FROM feeds WHERE id = ?`, rs[70].FeedID); err != nil {
				t.Fatal(err)
			}
			return rs
		}, func(i int) error {
			switch i {
			case 5:
				return store.ErrLeaseLost
			case 70:
				return store.ErrNotFound
			}
			return nil
		}},
		{"one feed twice", func(t *testing.T, s *Store, rs []store.PollResult) []store.PollResult {
			again := rs[9]
			again.NextPollAt = again.NextPollAt.Add(time.Hour) // the later result wins
			return append(rs, again)
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openAlone(t, 85)
			feeds, err := s.ClaimDueFeeds(ctx, now, 100, time.Minute)
			if err != nil || len(feeds) != 85 {
				t.Fatalf("claim: %d feeds, %v", len(feeds), err)
			}
			rs := make([]store.PollResult, len(feeds))
			for i, f := range feeds {
				rs[i] = polled(f, now.Add(time.Duration(i)*time.Millisecond))
				rs[i].NextPollAt = now.Add(time.Hour + time.Duration(i)*time.Minute)
			}
			rs = tc.edit(t, s, rs)
			errs := s.SaveFeedStates(ctx, rs)
			for i, err := range errs {
				var want error
				if tc.want != nil {
					want = tc.want(i)
				}
				if (want == nil) != (err == nil) || (want != nil && !errors.Is(err, want)) {
					t.Errorf("result %d (feed %d): %v; want %v", i, rs[i].FeedID, err, want)
				}
			}
			stored, err := s.Feeds(ctx)
			if err != nil {
				t.Fatal(err)
			}
			byID := make(map[int64]store.Feed, len(stored))
			for _, f := range stored {
				byID[f.ID] = f
			}
			claimed := make(map[int64]store.Feed, len(feeds))
			for _, f := range feeds {
				claimed[f.ID] = f
			}
			want := make(map[int64]store.PollResult)
			for i, r := range rs {
				if errs[i] == nil {
					want[r.FeedID] = r // the last saved result of each feed
				}
			}
			for id, r := range want {
				f := byID[id]
				next := r.NextPollAt
				if next.IsZero() {
					next = claimed[id].NextPollAt
				}
				got := [...]any{f.ETag, f.LastModified, f.BodyHash, f.LastError, f.ConsecutiveErrors, f.IdentityPolicy, f.RedirectTo,
					f.LastStatus, f.LastPollAt.UnixMicro(), f.NextPollAt.UnixMicro()}
				wantRow := [...]any{r.ETag, r.LastModified, r.BodyHash, r.Error, r.ConsecutiveErrors, r.IdentityPolicy, r.RedirectTo,
					r.Status, r.PolledAt.UnixMicro(), next.UnixMicro()}
				if got != wantRow {
					t.Errorf("feed %d reads back %v; want %v", id, got, wantRow)
				}
				if !f.LeasedUntil.IsZero() {
					t.Errorf("feed %d still leased until %v after its save", id, f.LeasedUntil)
				}
			}
		})
	}
}
