package pipeline

import (
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// TestStateFromKeepsTheStoredStateUnlessBlocked: a poll's result names a
// state only to change it (a blocked feed that answers is active again);
// otherwise it leaves the state to the store, whose save is then cheaper.
func TestStateFromKeepsTheStoredStateUnlessBlocked(t *testing.T) {
	for _, c := range []struct {
		stored, want store.FeedState
	}{
		{store.FeedActive, ""},
		{store.FeedBlocked, store.FeedActive},
		{"", store.FeedActive},
		{store.FeedGone, ""},
		{store.FeedDisabled, ""},
	} {
		f := store.Feed{ID: 7, State: c.stored, ETag: `"e"`, LeasedUntil: time.Unix(100, 0)}
		got := stateFrom(f, time.Unix(50, 0))
		if got.State != c.want {
			t.Errorf("feed %q: result state %q; want %q", c.stored, got.State, c.want)
		}
		if got.FeedID != 7 || got.ETag != `"e"` || !got.Lease.Equal(f.LeasedUntil) || !got.PolledAt.Equal(time.Unix(50, 0)) {
			t.Errorf("feed %q: result %+v does not start from the feed", c.stored, got)
		}
	}
}
