package httpcache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FreshUntil returns how long a response stays fresh, as a lower bound for
// the next poll: Cache-Control max-age (less the Age the response already
// had), else Expires measured against the response's own Date so that a
// skewed server clock does not matter. It returns the zero time when the
// response says nothing, or says not to reuse it (no-cache, no-store). It
// is never later than MaxHint from now.
func FreshUntil(h http.Header, now time.Time) time.Time {
	cc := parseCacheControl(h.Values("Cache-Control"))
	if _, ok := cc["no-store"]; ok {
		return time.Time{}
	}
	if _, ok := cc["no-cache"]; ok {
		return time.Time{}
	}
	if v, ok := cc["max-age"]; ok {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs <= 0 {
			return time.Time{}
		}
		age, _ := strconv.ParseInt(strings.TrimSpace(h.Get("Age")), 10, 64)
		if age >= secs {
			return time.Time{}
		}
		// Cap what is left of the lifetime, not max-age itself: a capped
		// max-age minus a large Age would land in the past.
		left := min(secs-max(age, 0), int64(MaxHint/time.Second))
		return now.Add(time.Duration(left) * time.Second)
	}
	header := h.Get("Expires")
	if header == "" {
		// Most responses (every 304 of an idle feed) have none: no need
		// to try the three date formats on an empty string.
		return time.Time{}
	}
	expires, err := http.ParseTime(header)
	if err != nil {
		return time.Time{}
	}
	base := now
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		base = date
	}
	lifetime := expires.Sub(base)
	if lifetime <= 0 {
		return time.Time{}
	}
	return capHint(now.Add(lifetime), now)
}

// parseCacheControl splits directives into a lower-cased name → value map;
// quoted values are unquoted, and the first occurrence of a name wins.
func parseCacheControl(values []string) map[string]string {
	if len(values) == 0 {
		return nil // reads as empty
	}
	out := map[string]string{}
	for _, line := range values {
		for _, part := range strings.Split(line, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			if _, seen := out[name]; seen {
				continue
			}
			out[name] = strings.Trim(strings.TrimSpace(value), `"`)
		}
	}
	return out
}
