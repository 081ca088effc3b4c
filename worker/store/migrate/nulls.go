package migrate

import (
	"database/sql"
	"time"
)

// SQLite keeps times as microseconds since the epoch (UTC), NULL when
// unknown; PostgreSQL as TIMESTAMPTZ, which holds the same microseconds.

func optMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMicro(v.Int64).UTC()
	return &t
}

func optString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}
