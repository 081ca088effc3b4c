package migrate

import (
	"context"
	"database/sql"
	"time"

	"github.com/jackc/pgx/v5"
)

var sourceColumns = []string{"id", "article_id", "feed_id", "item_key", "url", "title", "seen_at", "reason", "similarity",
	"text_role", "replaced_at"}

// sourcesTable copies sources with COPY; their articles and feeds are
// already there, since those tables are copied first from the same snapshot.
// Archives before schema version 6 do not mark the page each article's text
// is; as version 6 does on upgrade, the first sighting's is.
func sourcesTable(version int) table {
	textRole := "text_role, replaced_at"
	if version < 6 {
		textRole = "CASE WHEN reason = 'first' THEN 'current' END, NULL"
	}
	return table{
		name: "sources",
		read: func(ctx context.Context, src *sql.Tx, after int64) (*sql.Rows, error) {
			return src.QueryContext(ctx, `SELECT id, article_id, feed_id, item_key, url, title,
			seen_at, reason, similarity, `+textRole+` FROM sources WHERE id > ? ORDER BY id`, after)
		},
		scan:  scanSource,
		write: writeSources,
	}
}

func scanSource(rows *sql.Rows) ([]any, error) {
	var (
		id, article, feed, seen int64
		key, url, title, reason string
		similarity              float64
		role                    sql.NullString
		replaced                sql.NullInt64
	)
	if err := rows.Scan(&id, &article, &feed, &key, &url, &title, &seen, &reason, &similarity, &role, &replaced); err != nil {
		return nil, err
	}
	var replacedAt *time.Time
	if replaced.Valid {
		t := time.UnixMicro(replaced.Int64).UTC()
		replacedAt = &t
	}
	var textRole *string
	if role.Valid {
		textRole = &role.String
	}
	return []any{id, article, feed, key, url, title, time.UnixMicro(seen).UTC(), reason, similarity,
		textRole, replacedAt}, nil
}

func writeSources(ctx context.Context, tx pgx.Tx, batch [][]any) error {
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"sources"}, sourceColumns, pgx.CopyFromRows(batch))
	return err
}
