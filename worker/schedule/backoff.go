package schedule

import (
	"math/rand/v2"
	"time"
)

// maxBackoffShift stops the doubling long before time.Duration overflows;
// Max caps the result far earlier in practice.
const maxBackoffShift = 30

// errorBackoff is Min·2^errors: the first error waits twice the minimum, and
// about eight consecutive errors reach a one-day Max from a ten-minute Min.
func (p Policy) errorBackoff(errors int) time.Duration {
	shift := min(errors, maxBackoffShift)
	d := p.Min << shift
	if d <= 0 || d > p.Max { // overflow or past the cap
		return p.Max
	}
	return d
}

// jitter spreads d uniformly over ±10%. Where that would leave [lo, hi], the
// excess is reflected back inside instead of clipped, so that feeds sitting at
// the cap still spread out rather than all landing on exactly hi.
func jitter(d, lo, hi time.Duration, rnd *rand.Rand) time.Duration {
	if rnd == nil {
		return d
	}
	spread := time.Duration(float64(d) * jitterFraction * (2*rnd.Float64() - 1))
	j := d + spread
	if j > hi {
		j = hi - (j - hi)
	}
	if j < lo {
		j = lo + (lo - j)
	}
	return min(max(j, lo), hi)
}

// honourServerHints never lets next come before what the server asked for.
// When a hint decides, a small upward spread (up to 10% of the wait) keeps the
// feeds of one host, which often share one Retry-After, from firing together.
func honourServerHints(next time.Time, in Input, rnd *rand.Rand) time.Time {
	bound := in.RetryAfter
	if in.FreshUntil.After(bound) {
		bound = in.FreshUntil
	}
	if !bound.After(next) {
		return next
	}
	if rnd != nil && bound.After(in.Now) {
		wait := bound.Sub(in.Now)
		bound = bound.Add(time.Duration(float64(wait) * jitterFraction * rnd.Float64()))
	}
	return bound
}
