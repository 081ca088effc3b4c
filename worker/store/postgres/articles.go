package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

// articleQuery reads articles with their sources aggregated into arrays, one
// row per article, so Export streams rows without a second query per article.
// Feed URLs are the feeds' current ones (after any permanent redirect), and
// an article's feed is the feed of its first sighting.
const articleQuery = `
	SELECT a.id, a.url, COALESCE(a.canonical_url, ''), a.title, a.author, a.site_name,
		a.language, a.published, COALESCE(s.feed_urls[1], ''), a.text, COALESCE(a.content_hash, ''),
		a.text_source, a.fetch_error, a.first_seen,
		s.urls, s.feed_urls, s.titles, s.seen, s.reasons, s.sims, s.roles, s.replaced
	FROM articles a
	CROSS JOIN LATERAL (
		SELECT array_agg(x.url ORDER BY x.id) AS urls, array_agg(f.url ORDER BY x.id) AS feed_urls,
			array_agg(x.title ORDER BY x.id) AS titles, array_agg(x.seen_at ORDER BY x.id) AS seen,
			array_agg(x.reason ORDER BY x.id) AS reasons, array_agg(x.similarity ORDER BY x.id) AS sims,
			array_agg(COALESCE(x.text_role, '') ORDER BY x.id) AS roles,
			array_agg(x.replaced_at ORDER BY x.id) AS replaced
		FROM sources x JOIN feeds f ON f.id = x.feed_id
		WHERE x.article_id = a.id) AS s`

// articleRow holds one scanned articleQuery row.
type articleRow struct {
	a        store.Article
	urls     []string
	feedURLs []string
	titles   []string
	seen     []time.Time
	reasons  []string
	sims     []float64
	roles    []string
	replaced []*time.Time
}

func (r *articleRow) targets() []any {
	a := &r.a
	return []any{&a.ID, &a.URL, &a.CanonicalURL, &a.Title, &a.Author, &a.SiteName,
		&a.Language, &a.Published, &a.FeedURL, &a.Text, &a.ContentHash,
		&a.TextSource, &a.FetchError, &a.FirstSeen,
		&r.urls, &r.feedURLs, &r.titles, &r.seen, &r.reasons, &r.sims, &r.roles, &r.replaced}
}

func (r *articleRow) article() store.Article {
	a := r.a
	a.Published = utcPtr(a.Published)
	a.Sources = make([]store.Source, len(r.urls))
	for i := range r.urls {
		a.Sources[i] = store.Source{
			URL: r.urls[i], FeedURL: r.feedURLs[i], Title: r.titles[i], SeenAt: r.seen[i],
			Reason: policy.Reason(r.reasons[i]), Similarity: r.sims[i],
			TextRole: r.roles[i], ReplacedAt: utcPtr(r.replaced[i]),
		}
	}
	return a
}

// Export calls fn for every article matching f in id order. Rows are read off
// the connection as fn consumes them, so memory stays flat on any archive;
// fn may use the store meanwhile (the pool has other connections).
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
		add(`EXISTS (SELECT 1 FROM sources y JOIN feeds g ON g.id = y.feed_id
			WHERE y.article_id = a.id AND g.url = $?)`, f.FeedURL)
	}
	q := articleQuery
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return s.streamArticles(ctx, q+" ORDER BY a.id", args, fn)
}

// streamArticles runs an articleQuery and hands each article to fn as it arrives.
func (s *Store) streamArticles(ctx context.Context, q string, args []any, fn func(store.Article) error) error {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("postgres: read articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r articleRow
		if err := rows.Scan(r.targets()...); err != nil {
			return fmt.Errorf("postgres: read articles: %w", err)
		}
		if err := fn(r.article()); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: read articles: %w", err)
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
