package postgres

import (
	"time"
)

// Blank strings and zero times are stored as NULL: UNIQUE ignores NULLs, and
// "no date" reads back as a zero time.Time or a nil pointer.

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// utcPtr gives published dates in UTC, as every other time is read.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// blob stores an empty byte slice as NULL, as the SQLite store does, so
// "no raw page" has one spelling.
func blob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
