// Package httpcache reads the HTTP headers that tell a polite client when to
// come back: Retry-After, Cache-Control and Expires.
package httpcache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxHint caps every server hint (Retry-After, Cache-Control max-age,
// Expires): a wait of weeks or centuries is a server bug or a typo, not a
// wish to be left alone that long, and a feed put off to the year 2134 is
// a feed silently lost. A week still honours any real maintenance window.
const MaxHint = 7 * 24 * time.Hour

// capHint bounds the moment a hint points to at now+MaxHint.
func capHint(t, now time.Time) time.Time {
	if limit := now.Add(MaxHint); t.After(limit) {
		return limit
	}
	return t
}

// ParseRetryAfter returns the moment a Retry-After value points to, given as
// delay-seconds ("120") or an HTTP-date. It returns the zero time for an
// empty, malformed or negative value, and now for a date in the past; a
// later moment than MaxHint from now is capped there.
func ParseRetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}
		}
		if secs > int64(MaxHint/time.Second) {
			secs = int64(MaxHint / time.Second)
		}
		return now.Add(time.Duration(secs) * time.Second)
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}
	}
	if t.Before(now) {
		return now
	}
	return capHint(t, now)
}
