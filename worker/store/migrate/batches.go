package migrate

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// table says how to copy one table: which SQLite rows to read, how to turn
// one into PostgreSQL values, and how to write a batch of them.
type table struct {
	name string
	// read selects the rows past a resume id, in id order.
	read func(ctx context.Context, src *sql.Tx, after int64) (*sql.Rows, error)
	scan func(rows *sql.Rows) ([]any, error)
	// write stores one batch inside its PostgreSQL transaction.
	write func(ctx context.Context, tx pgx.Tx, batch [][]any) error
}

// copyTable streams t's rows past after into PostgreSQL, one transaction per
// batch, and returns how many it copied. The batch buffer is reused, so
// memory is one batch whatever the table size.
func (c *copier) copyTable(ctx context.Context, t table, after int64) (int64, error) {
	rows, err := t.read(ctx, c.src, after)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	batch := make([][]any, 0, c.opt.Batch)
	var n int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := pgx.BeginFunc(ctx, c.dst, func(tx pgx.Tx) error { return t.write(ctx, tx, batch) }); err != nil {
			return fmt.Errorf("%s %v-%v: %w", t.name, batch[0][0], batch[len(batch)-1][0], err)
		}
		n += int64(len(batch))
		if c.opt.Progress != nil {
			c.opt.Progress(t.name, n)
		}
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		row, err := t.scan(rows)
		if err != nil {
			return n, fmt.Errorf("read %s: %w", t.name, err)
		}
		batch = append(batch, row)
		if len(batch) == c.opt.Batch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read %s: %w", t.name, err)
	}
	return n, flush()
}

// maxID is the highest id of a table already in PostgreSQL: where a rerun
// resumes.
func (c *copier) maxID(ctx context.Context, name string) (int64, error) {
	var id int64
	err := c.dst.QueryRow(ctx, `SELECT COALESCE(max(id), 0) FROM `+pgx.Identifier{name}.Sanitize()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("resume point of %s: %w", name, err)
	}
	return id, nil
}
