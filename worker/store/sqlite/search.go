package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"

	"github.com/wiresift/wiresift/worker/store"
)

// DefaultSearchLimit applies when SearchOptions.Limit is 0.
const DefaultSearchLimit = 20

// Title matches weigh this much more than text matches in the BM25 rank: a
// story about X names X in its headline, a passing mention does not.
const titleWeight = 10.0

// Search runs an FTS5 query (words, "phrases", prefix*, AND/OR/NOT) and
// returns hits best first. Words FTS5 cannot take bare (covid-19) search as
// phrases. Rank is the negated BM25 score: higher is better.
func (s *Store) Search(ctx context.Context, query string, o store.SearchOptions) ([]store.SearchHit, error) {
	if strings.TrimSpace(query) == "" {
		return nil, fmt.Errorf("sqlite: search: empty query: %w", store.ErrBadQuery)
	}
	limit := o.Limit
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	since := int64(math.MinInt64) // no lower bound
	if !o.Since.IsZero() {
		since = o.Since.UnixMicro()
	}
	until := int64(math.MaxInt64) // no upper bound
	if !o.Until.IsZero() {
		until = o.Until.UnixMicro()
	}
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(`
SELECT a.id, a.title, a.url,
    snippet(articles_fts, -1, '[', ']', '…', 16),
    (SELECT count(*) FROM sources WHERE sources.article_id = a.id),
    a.first_seen, -bm25(articles_fts, %g, 1.0) AS rank
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ? AND a.first_seen >= ? AND a.first_seen < ?
ORDER BY rank DESC, a.id LIMIT ?`, titleWeight), ftsQuery(query), since, until, limit)
	if err != nil {
		return nil, s.searchErr(query, err)
	}
	defer rows.Close()
	hits := []store.SearchHit{}
	for rows.Next() {
		var h store.SearchHit
		var first sql.NullInt64
		if err := rows.Scan(&h.ArticleID, &h.Title, &h.URL, &h.Snippet, &h.Sources, &first, &h.Rank); err != nil {
			return nil, s.searchErr(query, err)
		}
		h.FirstSeen = fromMicros(first)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, s.searchErr(query, err)
	}
	return hits, nil
}

// searchErr tells a query the user mistyped from a database failure.
func (s *Store) searchErr(query string, err error) error {
	if isFTSSyntax(err) {
		return fmt.Errorf("sqlite: search %q: %w: %v", query, store.ErrBadQuery, err)
	}
	return s.wrap(fmt.Sprintf("search %q", query), err)
}
