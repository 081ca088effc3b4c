package pipeline

import (
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

func TestModesSayWhatAPassHonoursAndFollows(t *testing.T) {
	p := &Pipeline{cfg: Config{FirstPollMaxAge: 48 * time.Hour}}
	h := History{MaxPages: 7}
	sched, back := p.scheduledMode(nil), p.backfillMode(nil, h)
	if !sched.leases || !sched.validators || sched.history != nil {
		t.Errorf("scheduled pass: want leases and validators honoured, no history; got %+v", sched)
	}
	if back.leases || back.validators || back.history == nil || back.history.MaxPages != 7 {
		t.Errorf("backfill: want leases and validators ignored, history with 7 pages; got %+v", back)
	}
}

func TestModeCutoff(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	lastPoll := now.Add(-3 * day)
	since := now.Add(-10 * day)
	first := store.Feed{}
	later := store.Feed{LastPollAt: lastPoll}
	cases := []struct {
		name string
		m    mode
		f    store.Feed
		want time.Time
	}{
		{"no max age, no since", mode{ageOnLaterPolls: true}, later, time.Time{}},
		{"first poll counts the max age from now", mode{maxAge: 2 * day, ageOnLaterPolls: true}, first, now.Add(-2 * day)},
		{"later scheduled poll counts it from the previous poll", mode{maxAge: 2 * day, ageOnLaterPolls: true}, later, lastPoll.Add(-2 * day)},
		{"later backfill takes history despite the max age", mode{maxAge: 2 * day}, later, time.Time{}},
		{"backfill since alone", mode{since: since}, later, since},
		{"since later than the first-poll max age wins", mode{maxAge: 20 * day, since: since}, first, since},
		{"first-poll max age later than since wins", mode{maxAge: 2 * day, since: since}, first, now.Add(-2 * day)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.m.cutoff(c.f, now); !got.Equal(c.want) {
				t.Errorf("cutoff = %v, want %v", got, c.want)
			}
		})
	}
}
