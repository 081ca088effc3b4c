package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/wiresift/wiresift/worker/store"
)

// articleQuery reads articles with their sources aggregated into arrays, one
// row per article, so Export streams rows without a second query per article.
const articleQuery = `
	SELECT a.id, a.url, COALESCE(a.canonical_url, ''), a.title, a.author, a.site_name,
		a.language, a.published, a.feed_url, a.text, COALESCE(a.content_hash, ''),
		a.text_source, a.fetch_error, a.first_seen,
		s.urls, s.feed_urls, s.titles, s.seen, s.reasons, s.sims, s.published
	FROM articles a
	CROSS JOIN LATERAL (
		SELECT array_agg(url ORDER BY id) AS urls, array_agg(feed_url ORDER BY id) AS feed_urls,
			array_agg(title ORDER BY id) AS titles, array_agg(seen_at ORDER BY id) AS seen,
			array_agg(reason ORDER BY id) AS reasons, array_agg(similarity ORDER BY id) AS sims,
			array_agg(published ORDER BY id) AS published
		FROM sources WHERE sources.article_id = a.id) AS s`

// articleRow holds one scanned articleQuery row.
type articleRow struct {
	a         store.Article
	urls      []string
	feedURLs  []string
	titles    []string
	seen      []time.Time
	reasons   []string
	sims      []float64
	published []pgtype.Timestamptz
}

func (r *articleRow) targets() []any {
	a := &r.a
	return []any{&a.ID, &a.URL, &a.CanonicalURL, &a.Title, &a.Author, &a.SiteName,
		&a.Language, &a.Published, &a.FeedURL, &a.Text, &a.ContentHash,
		&a.TextSource, &a.FetchError, &a.FirstSeen,
		&r.urls, &r.feedURLs, &r.titles, &r.seen, &r.reasons, &r.sims, &r.published}
}

func (r *articleRow) article() store.Article {
	a := r.a
	a.Published = utcPtr(a.Published)
	a.Sources = make([]store.Source, len(r.urls))
	for i := range r.urls {
		a.Sources[i] = store.Source{
			URL: r.urls[i], FeedURL: r.feedURLs[i], Title: r.titles[i], SeenAt: r.seen[i],
			Reason: r.reasons[i], Similarity: r.sims[i],
		}
		if p := r.published[i]; p.Valid {
			t := p.Time.UTC()
			a.Sources[i].Published = &t
		}
	}
	return a
}

// Export calls fn for every article matching f in id order. Rows are read off
// the connection as fn consumes them, so memory stays flat on any archive.
func (s *Store) Export(ctx context.Context, f store.ExportFilter, fn func(store.Article) error) error {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		where = append(where, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if !f.Since.IsZero() {
		add("a.first_seen >= $?", f.Since)
	}
	if !f.Until.IsZero() {
		add("a.first_seen < $?", f.Until)
	}
	if f.FeedURL != "" {
		add("EXISTS (SELECT 1 FROM sources x WHERE x.article_id = a.id AND x.feed_url = $?)", f.FeedURL)
	}
	q := articleQuery
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.pool.Query(ctx, q+" ORDER BY a.id", args...)
	if err != nil {
		return fmt.Errorf("postgres: export: %w", err)
	}
	defer rows.Close()
	var r articleRow
	for rows.Next() {
		r = articleRow{}
		if err := rows.Scan(r.targets()...); err != nil {
			return fmt.Errorf("postgres: export: %w", err)
		}
		if err := fn(r.article()); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: export: %w", err)
	}
	return nil
}

// Article reads one article with its sources; store.ErrNotFound if absent.
func (s *Store) Article(ctx context.Context, id int64) (store.Article, error) {
	var r articleRow
	err := s.pool.QueryRow(ctx, articleQuery+" WHERE a.id = $1", id).Scan(r.targets()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Article{}, fmt.Errorf("postgres: article %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Article{}, fmt.Errorf("postgres: article %d: %w", id, err)
	}
	return r.article(), nil
}
