// Package httpcache reads the HTTP headers that tell a polite client when to
// come back: Retry-After, Cache-Control and Expires.
package httpcache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseRetryAfter returns the moment a Retry-After value points to, given as
// delay-seconds ("120") or an HTTP-date. It returns the zero time for an
// empty, malformed or negative value, and now for a date in the past.
func ParseRetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}
		}
		// A huge value is a server bug, not a wish to be left alone for centuries.
		const maxDelay = 365 * 24 * time.Hour
		if secs > int64(maxDelay/time.Second) {
			secs = int64(maxDelay / time.Second)
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
	return t
}
