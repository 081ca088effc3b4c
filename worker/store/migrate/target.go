package migrate

import (
	"context"
	"fmt"
)

// checkTarget refuses a target whose feeds disagree with the archive's: a
// URL under another id, or an id with another URL. Those would make the
// copy fail half-way on a unique constraint, or attach the archive's
// sources to the wrong feed. A target holding a subset of the archive's own
// feeds is an interrupted copy and passes.
func (c *copier) checkTarget(ctx context.Context) error {
	rows, err := c.src.QueryContext(ctx, `SELECT id, url FROM feeds`)
	if err != nil {
		return fmt.Errorf("migrate: read feeds: %w", err)
	}
	var ids []int64
	var urls []string
	for rows.Next() {
		var id int64
		var url string
		if err := rows.Scan(&id, &url); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: read feeds: %w", err)
		}
		ids, urls = append(ids, id), append(urls, url)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: read feeds: %w", err)
	}
	var clash string
	err = c.dst.QueryRow(ctx, `
		SELECT COALESCE(min(f.url), '') FROM feeds f
		LEFT JOIN unnest($1::bigint[], $2::text[]) AS a(id, url) ON a.id = f.id
		WHERE a.url IS DISTINCT FROM f.url`, ids, urls).Scan(&clash)
	if err != nil {
		return fmt.Errorf("migrate: check target feeds: %w", err)
	}
	if clash != "" {
		return fmt.Errorf("%w (first: %s)", ErrForeignTarget, clash)
	}
	return nil
}
