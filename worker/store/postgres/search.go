package postgres

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/store"
)

const defaultSearchLimit = 20

// Search ranks articles for a web-search style query ("quoted phrases",
// or, -exclusion, and word* prefixes) over title and text, title words
// weighing more, with snippets whose matched terms are wrapped in [ and ].
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
			SELECT a.id, a.title, a.url, a.text, a.first_seen, ts_rank(a.search, $1::tsquery) AS rank
			FROM articles a
			WHERE a.search @@ $1::tsquery AND a.first_seen >= COALESCE($2, '-infinity'::timestamptz)
			ORDER BY rank DESC, a.id
			LIMIT $3)
		SELECT h.id, h.title, h.url,
			ts_headline('simple', h.text, $1::tsquery,
				'StartSel="[", StopSel="]", MinWords=15, MaxWords=35, MaxFragments=2, FragmentDelimiter=" … "'),
			(SELECT count(*) FROM sources WHERE sources.article_id = h.id),
			h.first_seen, h.rank
		FROM hits h
		ORDER BY h.rank DESC, h.id`,
		tsq, nullTime(o.Since), limit)
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

// prefixWord is a query word the user marked as a prefix: econom*.
var prefixWord = regexp.MustCompile(`([\pL\pN_]+)\*`)

// parseQuery turns the user's query into tsquery text. websearch_to_tsquery
// never fails on syntax, but it drops '*', so words marked as prefixes get
// tsquery's :* back. A query with no searchable word is store.ErrBadQuery.
func (s *Store) parseQuery(ctx context.Context, query string) (string, error) {
	var tsq string
	var nodes int
	err := s.pool.QueryRow(ctx,
		`SELECT q::text, numnode(q) FROM websearch_to_tsquery('simple', $1) AS q`,
		query).Scan(&tsq, &nodes)
	if err != nil {
		return "", fmt.Errorf("postgres: parse query %q: %w", query, err)
	}
	if nodes == 0 {
		return "", fmt.Errorf("postgres: query %q has no searchable word: %w", query, store.ErrBadQuery)
	}
	for _, m := range prefixWord.FindAllStringSubmatch(query, -1) {
		lexeme := "'" + strings.ToLower(m[1]) + "'"
		tsq = strings.ReplaceAll(tsq, lexeme+" ", lexeme+":* ")
		if strings.HasSuffix(tsq, lexeme) {
			tsq += ":*"
		}
	}
	return tsq, nil
}
