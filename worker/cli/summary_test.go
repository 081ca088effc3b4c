package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

func TestLeftByPoll(t *testing.T) {
	next := time.Date(2026, 3, 1, 10, 40, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		census   store.FeedCensus
		polled   int
		finished bool
		want     store.FeedCensus
	}{
		{"every due feed polled", store.FeedCensus{Due: 5, NotDue: 3, NextDue: next, Disabled: 1},
			5, true, store.FeedCensus{NotDue: 3, NextDue: next, Disabled: 1}},
		{"another worker took some due feeds", store.FeedCensus{Due: 5, Leased: 2},
			3, true, store.FeedCensus{Leased: 4}},
		{"interrupted: the due feeds left are not another worker's", store.FeedCensus{Due: 5, Leased: 2},
			3, false, store.FeedCensus{Leased: 2}},
		{"a feed came due after the census and was polled", store.FeedCensus{Due: 5, NotDue: 3, BackingOff: 3, NextDue: next},
			6, true, store.FeedCensus{NotDue: 2, BackingOff: 2, NextDue: next}},
		{"nothing due", store.FeedCensus{NotDue: 2, BackingOff: 2, NextDue: next},
			0, true, store.FeedCensus{NotDue: 2, BackingOff: 2, NextDue: next}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := leftByPoll(tc.census, tc.polled, tc.finished); got != tc.want {
				t.Errorf("leftByPoll(%+v, %d, %v)\n got %+v\nwant %+v", tc.census, tc.polled, tc.finished, got, tc.want)
			}
		})
	}
}

func TestNotPolledLine(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	for _, tc := range []struct {
		name string
		c    store.FeedCensus
		want string
	}{
		{"everything polled", store.FeedCensus{}, ""},
		{"not due, with the hint", store.FeedCensus{NotDue: 2, BackingOff: 1, NextDue: now.Add(40 * time.Minute)},
			"not polled: 2 not due yet (next at 10:40 " + now.Format("MST") + ", in 40m; 1 backing off after errors); to poll every feed now: wiresift poll -now"},
		{"came due during the pass", store.FeedCensus{NotDue: 1, NextDue: now.Add(-time.Second)},
			"not polled: 1 not due yet (next at 09:59 " + now.Format("MST") + ", in 0s); to poll every feed now: wiresift poll -now"},
		{"the other reasons, no hint", store.FeedCensus{Leased: 3, Disabled: 2, Gone: 1},
			"not polled: 3 claimed by another worker, 2 disabled (not in the feeds file, or switched off), 1 gone (answered 410; wiresift feeds enable URL revives one)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := notPolledLine(tc.c, now, "wiresift poll -now")
			if got != tc.want {
				t.Errorf("notPolledLine(%+v)\n got %q\nwant %q", tc.c, got, tc.want)
			}
			if tc.c.NotDue == 0 && strings.Contains(got, "poll -now") {
				t.Errorf("hint shown with every feed due: %q", got)
			}
		})
	}
}
