package schedule

import (
	"slices"
	"time"
)

// recentDates is how many of the newest item dates the adaptive interval
// looks at: enough to smooth a burst, few enough to follow a feed that
// changes pace.
const recentDates = 20

// unknownPace is the interval for a feed that gives no usable dates at all.
const unknownPace = time.Hour

// adaptiveInterval estimates how often the feed publishes and polls twice per
// publication gap, so that a new item waits on average a quarter of a gap.
//
// The estimate is the median gap between the newest distinct item dates (a
// median, so one burst or one long pause does not decide it). If the feed has
// been silent for longer than that estimate, the silence is the better
// estimate: the feed has slowed down. Dates in the future and zero dates are
// ignored (feeds mis-stamp items); identical dates count once (feeds that
// stamp every item with the build time would otherwise look infinitely fast).
func (p Policy) adaptiveInterval(now time.Time, dates []time.Time) time.Duration {
	usable := make([]time.Time, 0, len(dates))
	for _, d := range dates {
		if !d.IsZero() && !d.After(now) {
			usable = append(usable, d)
		}
	}
	if len(usable) == 0 {
		return p.clamp(unknownPace)
	}
	slices.SortFunc(usable, func(a, b time.Time) int { return b.Compare(a) }) // newest first
	usable = slices.CompactFunc(usable, time.Time.Equal)
	if len(usable) > recentDates {
		usable = usable[:recentDates]
	}
	silence := now.Sub(usable[0])
	estimate := silence
	if gaps := gapsBetween(usable); len(gaps) > 0 {
		estimate = max(median(gaps), silence)
	}
	return p.clamp(estimate / 2)
}

// gapsBetween returns the gaps between consecutive dates sorted newest first.
func gapsBetween(newestFirst []time.Time) []time.Duration {
	gaps := make([]time.Duration, 0, len(newestFirst))
	for i := 1; i < len(newestFirst); i++ {
		gaps = append(gaps, newestFirst[i-1].Sub(newestFirst[i]))
	}
	return gaps
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// DatesToKeep returns the item dates that an adaptive interval at now or
// later can use, of dates as a poll at now found them: the newest
// recentDates distinct ones not after now, and every one after now (once
// now passes it, it may be among the newest). A feed's dates are stored
// with its state and read back at every poll, so only these are kept. The
// result is never nil: an empty list still replaces the stored one.
func DatesToKeep(now time.Time, dates []time.Time) []time.Time {
	kept := make([]time.Time, 0, min(len(dates), recentDates))
	var past []time.Time
	for _, d := range dates {
		switch {
		case d.IsZero():
		case d.After(now):
			kept = append(kept, d)
		default:
			past = append(past, d)
		}
	}
	slices.SortFunc(past, func(a, b time.Time) int { return b.Compare(a) }) // newest first
	past = slices.CompactFunc(past, time.Time.Equal)
	return append(kept, past[:min(len(past), recentDates)]...)
}
