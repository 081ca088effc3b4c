package migrate

import (
	"context"
	"database/sql"
	"time"

	"github.com/jackc/pgx/v5"
)

// outboxVersion is the schema.sql version that added the webhook outbox.
const outboxVersion = 7

var outboxColumns = []string{"id", "delivery", "event", "article_id", "source", "created_at", "attempts", "next_try_at", "last_error"}

// outboxTable copies the undelivered webhook events, so that none is lost
// by the move; leases are not copied (no deliverer holds them now).
var outboxTable = table{
	name: "outbox",
	read: func(ctx context.Context, src *sql.Tx, after int64) (*sql.Rows, error) {
		return src.QueryContext(ctx, `SELECT id, delivery, event, article_id, source, created_at,
			attempts, next_try_at, last_error FROM outbox WHERE id > ? ORDER BY id`, after)
	},
	scan: func(rows *sql.Rows) ([]any, error) {
		var (
			id, article, created, next int64
			attempts                   int
			delivery, event, lastErr   string
			source                     sql.NullString
		)
		if err := rows.Scan(&id, &delivery, &event, &article, &source, &created, &attempts, &next, &lastErr); err != nil {
			return nil, err
		}
		var src []byte
		if source.Valid {
			src = []byte(source.String)
		}
		return []any{id, delivery, event, article, src, time.UnixMicro(created).UTC(), attempts,
			time.UnixMicro(next).UTC(), lastErr}, nil
	},
	write: func(ctx context.Context, tx pgx.Tx, batch [][]any) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"outbox"}, outboxColumns, pgx.CopyFromRows(batch))
		return err
	},
}
