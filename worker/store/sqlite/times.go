package sqlite

import (
	"database/sql"
	"time"
)

// Times are stored as INTEGER microseconds since the epoch: exact ordering,
// cheap comparisons, and the precision PostgreSQL keeps, so an archive moved
// between the stores exports the same.

// micros is t in microseconds, or NULL for the zero time.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func microsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return micros(*t)
}

// fromMicros is the UTC time of a stored value; NULL gives the zero time.
func fromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

func fromMicrosPtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v)
	return &t
}
