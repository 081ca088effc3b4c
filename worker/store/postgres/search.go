package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/store"
)

const defaultSearchLimit = 20

// Search ranks articles for a query in FTS5 syntax (words, "phrases",
// prefix*, AND, OR, NOT, parentheses) over title and text, title words
// weighing more, with snippets whose matched terms are wrapped in [ and ]:
// from the body when it matches, else from the title (as FTS5's snippet
// picks the matching column).
func (s *Store) Search(ctx context.Context, query string, o store.SearchOptions) ([]store.SearchHit, error) {
	limit := o.Limit
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	tsq, err := s.parseQuery(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `
		WITH hits AS (
			SELECT a.id, a.title, a.url, a.text, a.first_seen, ts_rank(a.search, $1::tsquery) AS rank,
				-- Does the body match, or only the title? (weight B is the body.)
				ts_filter(a.search, '{b}') @@ $1::tsquery AS in_text
			FROM articles a
			WHERE a.search @@ $1::tsquery AND a.first_seen >= COALESCE($2, '-infinity'::timestamptz)
				AND a.first_seen < COALESCE($4, 'infinity'::timestamptz)
			ORDER BY rank DESC, a.id
			LIMIT $3)
		SELECT h.id, h.title, h.url,
			ts_headline('simple', CASE WHEN h.in_text THEN h.text ELSE h.title END, $1::tsquery,
				'StartSel="[", StopSel="]", MinWords=15, MaxWords=35, MaxFragments=2, FragmentDelimiter=" … "'),
			(SELECT count(*) FROM sources WHERE sources.article_id = h.id),
			h.first_seen, h.rank
		FROM hits h
		ORDER BY h.rank DESC, h.id`,
		tsq, nullTime(o.Since), limit, nullTime(o.Until))
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", query, err)
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.SearchHit, error) {
		var h store.SearchHit
		err := r.Scan(&h.ArticleID, &h.Title, &h.URL, &h.Snippet, &h.Sources, &h.FirstSeen, &h.Rank)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: search %q: %w", query, err)
	}
	return hits, nil
}

// parseQuery turns the user's query (FTS5 syntax, see query.go) into tsquery
// text. Bad syntax, or a query with no searchable word, is store.ErrBadQuery.
func (s *Store) parseQuery(ctx context.Context, query string) (string, error) {
	expr, args, err := translateQuery(query)
	if err != nil {
		return "", fmt.Errorf("postgres: query %q: %w: %w", query, store.ErrBadQuery, err)
	}
	var tsq string
	var nodes int
	err = s.pool.QueryRow(ctx, "SELECT q::text, numnode(q) FROM (SELECT "+expr+" AS q) AS parsed", args...).
		Scan(&tsq, &nodes)
	if err != nil {
		return "", fmt.Errorf("postgres: parse query %q: %w", query, err)
	}
	if nodes == 0 {
		return "", fmt.Errorf("postgres: query %q has no searchable word: %w", query, store.ErrBadQuery)
	}
	return tsq, nil
}
