package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

var articleColumns = []string{"id", "url", "canonical_url", "title", "author", "site_name", "language",
	"published", "text", "content_hash", "text_source", "fetch_error", "first_seen", "words", "sketch", "raw_html"}

// articlesTable copies articles with COPY, each batch together with its
// near-duplicate keys, so a resumed copy never finds an article without
// its keys. keys counts the key rows written.
func (c *copier) articlesTable() table {
	return table{
		name: "articles",
		read: func(ctx context.Context, src *sql.Tx, after int64) (*sql.Rows, error) {
			return src.QueryContext(ctx, `SELECT id, url, canonical_url, title, author, site_name,
				language, published, text, content_hash, text_source, fetch_error, first_seen, words, sketch, raw_html
				FROM articles WHERE id > ? ORDER BY id`, after)
		},
		scan: func(rows *sql.Rows) ([]any, error) {
			var (
				id, words, firstSeen                            int64
				url, title, author, site, lang, text, src, ferr string
				canonical, hash                                 sql.NullString
				published                                       sql.NullInt64
				sketch, raw                                     []byte
			)
			if err := rows.Scan(&id, &url, &canonical, &title, &author, &site, &lang, &published, &text,
				&hash, &src, &ferr, &firstSeen, &words, &sketch, &raw); err != nil {
				return nil, err
			}
			return []any{id, url, optString(canonical), title, author, site, lang,
				optMicros(published), text, optString(hash), src, ferr, time.UnixMicro(firstSeen).UTC(),
				words, sketch, raw}, nil
		},
		write: func(ctx context.Context, tx pgx.Tx, batch [][]any) error {
			first, last := batch[0][0].(int64), batch[len(batch)-1][0].(int64)
			keys, err := c.keyRows(ctx, first, last)
			if err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"articles"}, articleColumns, pgx.CopyFromRows(batch)); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"dedup_keys"}, []string{"key", "article_id"}, pgx.CopyFromRows(keys)); err != nil {
				return fmt.Errorf("keys: %w", err)
			}
			c.keys += int64(len(keys))
			return nil
		},
	}
}

// keyRows reads the dedup keys of the articles with ids in [first, last].
func (c *copier) keyRows(ctx context.Context, first, last int64) ([][]any, error) {
	rows, err := c.src.QueryContext(ctx,
		`SELECT key, article_id FROM dedup_keys WHERE article_id BETWEEN ? AND ?`, first, last)
	if err != nil {
		return nil, fmt.Errorf("read keys: %w", err)
	}
	defer rows.Close()
	var keys [][]any
	for rows.Next() {
		var key, article int64
		if err := rows.Scan(&key, &article); err != nil {
			return nil, fmt.Errorf("read keys: %w", err)
		}
		keys = append(keys, []any{key, article})
	}
	return keys, rows.Err()
}
