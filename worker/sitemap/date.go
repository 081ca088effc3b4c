package sitemap

import (
	"strings"
	"time"
)

// w3cLayouts are the W3C Datetime forms the protocol allows, longest first,
// and a few that sites write instead.
var w3cLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	"2006-01",
	"2006",
}

// ParseDate reads a W3C Datetime; nil when s is empty or unreadable. A
// date without a zone is taken as UTC.
func ParseDate(s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, l := range w3cLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}
