package httpcache

import (
	"net/http"
	"testing"
	"time"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"empty header", "", time.Time{}},
		{"seconds", "120", now.Add(2 * time.Minute)},
		{"seconds with spaces", " 30 ", now.Add(30 * time.Second)},
		{"zero seconds", "0", now},
		{"negative seconds", "-5", time.Time{}},
		{"huge seconds capped at MaxHint", "99999999999", now.Add(MaxHint)},
		{"eight days capped at MaxHint", "691200", now.Add(MaxHint)},
		{"far HTTP-date capped at MaxHint", "Fri, 01 Mar 2134 12:00:00 GMT", now.Add(MaxHint)},
		{"HTTP-date", "Sun, 01 Mar 2026 13:30:00 GMT", now.Add(90 * time.Minute)},
		{"RFC 850 date", "Sunday, 01-Mar-26 13:30:00 GMT", now.Add(90 * time.Minute)},
		{"date in the past", "Sun, 01 Mar 2026 11:00:00 GMT", now},
		{"garbage", "soon", time.Time{}},
		{"fractional seconds", "1.5", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseRetryAfter(tt.in, now); !got.Equal(tt.want) {
				t.Fatalf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFreshUntil(t *testing.T) {
	tests := []struct {
		name   string
		header map[string][]string
		want   time.Time
	}{
		{"empty header", nil, time.Time{}},
		{"max-age", map[string][]string{"Cache-Control": {"max-age=600"}}, now.Add(10 * time.Minute)},
		{"multiple directives", map[string][]string{"Cache-Control": {"public, MAX-AGE=300, must-revalidate"}}, now.Add(5 * time.Minute)},
		{"directives over two lines", map[string][]string{"Cache-Control": {"public", "max-age=60"}}, now.Add(time.Minute)},
		{"quoted max-age", map[string][]string{"Cache-Control": {`max-age="60"`}}, now.Add(time.Minute)},
		{"age subtracted", map[string][]string{"Cache-Control": {"max-age=600"}, "Age": {"100"}}, now.Add(500 * time.Second)},
		{"older than max-age", map[string][]string{"Cache-Control": {"max-age=60"}, "Age": {"100"}}, time.Time{}},
		{"huge max-age with a large Age still capped from now", map[string][]string{"Cache-Control": {"max-age=1000000000"}, "Age": {"200000000"}}, now.Add(MaxHint)},
		{"invalid max-age", map[string][]string{"Cache-Control": {"max-age=abc"}}, time.Time{}},
		{"zero max-age", map[string][]string{"Cache-Control": {"max-age=0"}}, time.Time{}},
		{"no-store wins", map[string][]string{"Cache-Control": {"no-store, max-age=600"}}, time.Time{}},
		{"no-cache wins", map[string][]string{"Cache-Control": {"max-age=600, no-cache"}}, time.Time{}},
		{"max-age wins over Expires", map[string][]string{
			"Cache-Control": {"max-age=60"},
			"Expires":       {"Sun, 01 Mar 2026 14:00:00 GMT"},
		}, now.Add(time.Minute)},
		{"Expires without Date", map[string][]string{"Expires": {"Sun, 01 Mar 2026 12:30:00 GMT"}}, now.Add(30 * time.Minute)},
		{"Expires against a skewed Date", map[string][]string{
			"Date":    {"Sun, 01 Mar 2026 08:00:00 GMT"},
			"Expires": {"Sun, 01 Mar 2026 08:15:00 GMT"},
		}, now.Add(15 * time.Minute)},
		{"Expires in the past", map[string][]string{"Expires": {"Sun, 01 Mar 2026 11:00:00 GMT"}}, time.Time{}},
		{"Expires 0", map[string][]string{"Expires": {"0"}}, time.Time{}},
		{"huge max-age capped at MaxHint", map[string][]string{"Cache-Control": {"max-age=3153600000"}}, now.Add(MaxHint)},
		{"max-age past int64 seconds capped", map[string][]string{"Cache-Control": {"max-age=99999999999999999"}}, now.Add(MaxHint)},
		{"max-age a day under the cap", map[string][]string{"Cache-Control": {"max-age=518400"}}, now.Add(6 * 24 * time.Hour)},
		{"far Expires capped at MaxHint", map[string][]string{"Expires": {"Fri, 01 Mar 2134 12:00:00 GMT"}}, now.Add(MaxHint)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, vs := range tt.header {
				for _, v := range vs {
					h.Add(k, v)
				}
			}
			if got := FreshUntil(h, now); !got.Equal(tt.want) {
				t.Fatalf("FreshUntil(%v) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}
