package schedule

import (
	"math/rand/v2"
	"testing"
	"time"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// every returns n dates going back from start, gap apart.
func every(start time.Time, gap time.Duration, n int) []time.Time {
	ds := make([]time.Time, n)
	for i := range ds {
		ds[i] = start.Add(-time.Duration(i) * gap)
	}
	return ds
}

func TestNextWithoutJitter(t *testing.T) {
	defaults := Policy{}
	tests := []struct {
		name   string
		policy Policy
		in     Input
		want   time.Duration // after now
	}{
		{"hourly feed polls every half hour",
			defaults, Input{Now: now, ItemDates: every(now.Add(-10*time.Minute), time.Hour, 10)}, 30 * time.Minute},
		{"six-hourly feed polls every three hours",
			defaults, Input{Now: now, ItemDates: every(now.Add(-time.Hour), 6*time.Hour, 10)}, 3 * time.Hour},
		{"median ignores one long pause",
			defaults, Input{Now: now, ItemDates: append(every(now.Add(-time.Hour), 2*time.Hour, 6), now.Add(-30*24*time.Hour))}, time.Hour},
		{"very busy feed clamps to Min",
			defaults, Input{Now: now, ItemDates: every(now, time.Minute, 20)}, DefaultMin},
		{"weekly feed clamps to Max",
			defaults, Input{Now: now, ItemDates: every(now.Add(-time.Hour), 7*24*time.Hour, 5)}, DefaultMax},
		{"silence longer than the usual gap slows polling",
			defaults, Input{Now: now, ItemDates: every(now.Add(-10*time.Hour), time.Hour, 10)}, 5 * time.Hour},
		{"single date uses the silence since it",
			defaults, Input{Now: now, ItemDates: []time.Time{now.Add(-4 * time.Hour)}}, 2 * time.Hour},
		{"no dates uses the unknown pace",
			defaults, Input{Now: now}, unknownPace},
		{"future and zero dates are ignored",
			defaults, Input{Now: now, ItemDates: []time.Time{{}, now.Add(48 * time.Hour), now.Add(-4 * time.Hour)}}, 2 * time.Hour},
		{"identical build-time stamps count once",
			defaults, Input{Now: now, ItemDates: []time.Time{now.Add(-6 * time.Hour), now.Add(-6 * time.Hour), now.Add(-6 * time.Hour)}}, 3 * time.Hour},
		{"custom bounds apply",
			Policy{Min: time.Hour, Max: 2 * time.Hour}, Input{Now: now, ItemDates: every(now, time.Minute, 20)}, time.Hour},
		{"user interval replaces adaptive",
			defaults, Input{Now: now, Interval: 45 * time.Minute, ItemDates: every(now, time.Minute, 20)}, 45 * time.Minute},
		{"user interval above Max is kept",
			defaults, Input{Now: now, Interval: 48 * time.Hour}, 48 * time.Hour},
		{"user interval below Min is raised to Min",
			defaults, Input{Now: now, Interval: time.Minute}, DefaultMin},
		{"first error doubles Min",
			defaults, Input{Now: now, ConsecutiveErrors: 1, ItemDates: every(now, time.Minute, 20)}, 20 * time.Minute},
		{"third error is eight times Min",
			defaults, Input{Now: now, ConsecutiveErrors: 3, ItemDates: every(now, time.Minute, 20)}, 80 * time.Minute},
		{"backoff never shortens a slow feed's interval",
			defaults, Input{Now: now, ConsecutiveErrors: 1, ItemDates: every(now.Add(-time.Hour), 6*time.Hour, 10)}, 3 * time.Hour},
		{"backoff is capped at Max",
			defaults, Input{Now: now, ConsecutiveErrors: 12}, DefaultMax},
		{"huge error count does not overflow",
			defaults, Input{Now: now, ConsecutiveErrors: 1 << 20}, DefaultMax},
		{"backoff over a long user interval stays at that interval",
			defaults, Input{Now: now, Interval: 48 * time.Hour, ConsecutiveErrors: 20}, 48 * time.Hour},
		{"TTL raises a short interval",
			defaults, Input{Now: now, TTL: 2 * time.Hour, ItemDates: every(now, time.Minute, 20)}, 2 * time.Hour},
		{"TTL is bounded by Max",
			defaults, Input{Now: now, TTL: 7 * 24 * time.Hour, ItemDates: every(now, time.Minute, 20)}, DefaultMax},
		{"TTL never shortens",
			defaults, Input{Now: now, TTL: time.Minute, ItemDates: every(now.Add(-time.Hour), 6*time.Hour, 10)}, 3 * time.Hour},
		{"Retry-After beyond Max is honoured",
			defaults, Input{Now: now, ConsecutiveErrors: 1, RetryAfter: now.Add(72 * time.Hour)}, 72 * time.Hour},
		{"FreshUntil raises the next poll",
			defaults, Input{Now: now, FreshUntil: now.Add(5 * time.Hour), ItemDates: every(now, time.Minute, 20)}, 5 * time.Hour},
		{"past Retry-After changes nothing",
			defaults, Input{Now: now, RetryAfter: now.Add(-time.Hour), ItemDates: every(now, time.Minute, 20)}, DefaultMin},
		{"Min above Max is treated as Max = Min",
			Policy{Min: 2 * time.Hour, Max: time.Hour}, Input{Now: now, ItemDates: every(now, time.Minute, 20)}, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.policy.Next(tt.in, nil).Sub(now)
			if got != tt.want {
				t.Errorf("Next = now+%v, want now+%v", got, tt.want)
			}
		})
	}
}

func TestNextJitterStaysWithinTenPercentAndBounds(t *testing.T) {
	tests := []struct {
		name   string
		in     Input
		lo, hi time.Duration
	}{
		{"middle of the range spreads both ways",
			Input{Now: now, ItemDates: every(now.Add(-time.Hour), 6*time.Hour, 10)}, 162 * time.Minute, 198 * time.Minute},
		{"at Max spreads only below Max",
			Input{Now: now, ConsecutiveErrors: 30}, 21*time.Hour + 36*time.Minute, DefaultMax},
		{"at Min spreads only above Min",
			Input{Now: now, ItemDates: every(now, time.Minute, 20)}, DefaultMin, 11 * time.Minute},
		{"Retry-After spreads only later",
			Input{Now: now, RetryAfter: now.Add(72 * time.Hour)}, 72 * time.Hour, 72*time.Hour + 432*time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(1, 2))
			seen := map[time.Duration]bool{}
			for range 1000 {
				got := Policy{}.Next(tt.in, rnd).Sub(now)
				if got < tt.lo || got > tt.hi {
					t.Fatalf("Next = now+%v, want within [%v, %v]", got, tt.lo, tt.hi)
				}
				seen[got] = true
			}
			if len(seen) < 900 {
				t.Errorf("1000 draws gave %d distinct times, want at least 900 (jitter not spreading)", len(seen))
			}
		})
	}
}

func TestNextIsDeterministicForOneSeed(t *testing.T) {
	in := Input{Now: now, ItemDates: every(now.Add(-time.Hour), 6*time.Hour, 10)}
	a := Policy{}.Next(in, rand.New(rand.NewPCG(7, 7)))
	b := Policy{}.Next(in, rand.New(rand.NewPCG(7, 7)))
	if !a.Equal(b) {
		t.Errorf("same seed gave %v and %v, want equal", a, b)
	}
}

func TestJitterSpreadsHundredsOfFeeds(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	in := Input{Now: now, ItemDates: every(now.Add(-10*time.Minute), time.Hour, 10)}
	seconds := map[int64]int{}
	for range 300 {
		seconds[Policy{}.Next(in, rnd).Unix()]++
	}
	// ±10% of 30 minutes is a 360-second window, so a few seconds hold
	// several feeds by chance; without jitter one second would hold all 300.
	for sec, n := range seconds {
		if n > 6 {
			t.Errorf("%d of 300 identical feeds fire on second %d, want at most 6", n, sec)
		}
	}
}
