package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/wiresift/wiresift/worker/store"
)

// exportWhere is the article filter shared by the two export cursors. The
// unary + keeps SQLite off the first_seen index: walking it would return
// rows out of id order and need a sort of the whole window, while a scan in
// id order streams in constant memory.
func exportWhere(f store.ExportFilter) (string, []any) {
	conds := []string{"1"}
	var args []any
	if !f.Since.IsZero() {
		conds = append(conds, "+a.first_seen >= ?")
		args = append(args, f.Since.UnixMicro())
	}
	if !f.Until.IsZero() {
		conds = append(conds, "+a.first_seen < ?")
		args = append(args, f.Until.UnixMicro())
	}
	if f.FeedURL != "" {
		conds = append(conds, "a.id IN (SELECT article_id FROM sources WHERE feed_id = (SELECT id FROM feeds WHERE url = ?))")
		args = append(args, f.FeedURL)
	}
	return strings.Join(conds, " AND "), args
}

func exportArticlesSQL(where string) string {
	return `SELECT ` + articleColumns + ` FROM articles a WHERE ` + where + ` ORDER BY a.id`
}

// exportSourcesSQL walks the sources in article id order as a nested loop
// over articles: CROSS JOIN fixes that join order in SQLite, so the query
// needs no sort and materialises nothing, whatever the archive size.
func exportSourcesSQL(where string) string {
	return `SELECT s.article_id, ` + sourceColumns + `
FROM articles a CROSS JOIN sources s ON s.article_id = a.id CROSS JOIN feeds f ON f.id = s.feed_id
WHERE ` + where + ` ORDER BY a.id, s.id`
}

// Export streams every article matching f in id order, with its sources.
// Memory stays constant whatever the archive size: one cursor walks the
// articles and a second walks their sources in the same order (a merge
// join), both in one read transaction so they see the same snapshot. fn may
// read and write the store meanwhile.
func (s *Store) Export(ctx context.Context, f store.ExportFilter, fn func(store.Article) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s.wrap("export", err)
	}
	defer tx.Rollback()
	where, args := exportWhere(f)
	arts, err := tx.QueryContext(ctx, exportArticlesSQL(where), args...)
	if err != nil {
		return s.wrap("export articles", err)
	}
	defer arts.Close()
	srcs, err := tx.QueryContext(ctx, exportSourcesSQL(where), args...)
	if err != nil {
		return s.wrap("export sources", err)
	}
	defer srcs.Close()

	next := sourceCursor{rows: srcs}
	for arts.Next() {
		a, err := scanArticle(arts)
		if err != nil {
			return s.wrap("export articles", err)
		}
		if a.Sources, err = next.take(a.ID); err != nil {
			return s.wrap("export sources", err)
		}
		if len(a.Sources) > 0 {
			a.FeedURL = a.Sources[0].FeedURL
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := arts.Err(); err != nil {
		return s.wrap("export articles", err)
	}
	return nil
}

// sourceCursor walks sources ordered by article id, holding the one row
// read past the current article.
type sourceCursor struct {
	rows    *sql.Rows
	held    store.Source
	heldID  int64
	holding bool
	done    bool
}

// take returns the sources of article id, skipping those of lower ids.
func (c *sourceCursor) take(id int64) ([]store.Source, error) {
	out := []store.Source{}
	for {
		if !c.holding {
			if c.done || !c.rows.Next() {
				c.done = true
				return out, c.rows.Err()
			}
			src, err := scanSource(c.rows, &c.heldID)
			if err != nil {
				return nil, err
			}
			c.held, c.holding = src, true
		}
		switch {
		case c.heldID < id:
			c.holding = false
		case c.heldID == id:
			out = append(out, c.held)
			c.holding = false
		default:
			return out, nil
		}
	}
}
