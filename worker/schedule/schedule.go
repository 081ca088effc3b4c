// Package schedule decides when a feed is polled next: often enough to catch
// what it publishes, rarely enough to be a good citizen, and never before a
// server said it may be asked again.
//
// The order of the rules is the policy:
//
//  1. The base interval is the user's fixed interval, or else an adaptive one
//     from the feed's own publication dates (see adaptiveInterval).
//  2. After errors, the interval grows exponentially (errorBackoff).
//  3. The feed's TTL hint raises it (soft: bounded by Max).
//  4. Jitter spreads it by ±10% so that feeds do not fire together.
//  5. Server hints (Retry-After, Cache-Control/Expires) are hard lower bounds
//     on the result; Max never shortens them.
//
// A feed that answered 410 Gone is never scheduled: that is the caller's state
// (store.FeedGone), and Next is simply not called for it.
package schedule

import (
	"math/rand/v2"
	"time"
)

// Defaults for a zero Policy.
const (
	DefaultMin = 10 * time.Minute
	DefaultMax = 24 * time.Hour
)

// jitterFraction is the half-width of the random spread around an interval.
const jitterFraction = 0.10

// Policy bounds the intervals the scheduler chooses itself (adaptive interval,
// error backoff, TTL hint). Zero fields take the defaults.
type Policy struct {
	Min, Max time.Duration
}

// Input is what is known about a feed after a poll.
type Input struct {
	Now time.Time
	// Interval is the user-fixed interval (0 = adaptive). It replaces the
	// adaptive choice and is not bounded by Max (the user asked for it), but
	// Min still applies as a floor for the publisher's sake.
	Interval time.Duration
	// ItemDates are the publication dates of the items in the latest fetch.
	ItemDates         []time.Time
	ConsecutiveErrors int
	// RetryAfter and FreshUntil are server hints (Retry-After; Cache-Control
	// max-age or Expires): hard lower bounds, never shortened by Max.
	RetryAfter, FreshUntil time.Time
	// TTL is the feed's own hint (RSS <ttl>, sy:updatePeriod): a soft lower
	// bound, itself bounded by Max.
	TTL time.Duration
}

// Next returns when the feed should be polled next. It is deterministic given
// rnd; a nil rnd means no jitter.
func (p Policy) Next(in Input, rnd *rand.Rand) time.Time {
	p = p.withDefaults()
	lo, hi := p.Min, p.Max
	var d time.Duration
	if in.Interval > 0 {
		d = max(in.Interval, p.Min)
		hi = max(hi, d) // a user interval above Max stays as asked
	} else {
		d = p.adaptiveInterval(in.Now, in.ItemDates)
	}
	if in.ConsecutiveErrors > 0 {
		d = min(max(d, p.errorBackoff(in.ConsecutiveErrors)), hi)
	}
	if in.TTL > 0 {
		d = max(d, min(in.TTL, hi))
	}
	next := in.Now.Add(jitter(d, lo, hi, rnd))
	return honourServerHints(next, in, rnd)
}

func (p Policy) withDefaults() Policy {
	if p.Min <= 0 {
		p.Min = DefaultMin
	}
	if p.Max <= 0 {
		p.Max = DefaultMax
	}
	if p.Max < p.Min {
		p.Max = p.Min
	}
	return p
}

func (p Policy) clamp(d time.Duration) time.Duration {
	return min(max(d, p.Min), p.Max)
}
