package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wiresift/wiresift/worker/store"
)

// articleColumns are read from articles a; the feed URL is the first
// source's feed.
const articleColumns = `a.id, a.url, coalesce(a.canonical_url, ''), a.title, a.author, a.site_name,
a.language, a.published, a.text, coalesce(a.content_hash, ''), a.text_source, a.fetch_error, a.first_seen`

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func scanArticle(sc interface{ Scan(...any) error }, extra ...any) (store.Article, error) {
	var a store.Article
	var published, firstSeen sql.NullInt64
	dest := []any{&a.ID, &a.URL, &a.CanonicalURL, &a.Title, &a.Author, &a.SiteName,
		&a.Language, &published, &a.Text, &a.ContentHash, &a.TextSource, &a.FetchError, &firstSeen}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return store.Article{}, err
	}
	a.Published, a.FirstSeen = fromMicrosPtr(published), fromMicros(firstSeen)
	a.Sources = []store.Source{}
	return a, nil
}

const sourceColumns = `s.url, f.url, s.title, s.seen_at, s.reason, s.similarity, coalesce(s.text_role, ''), s.replaced_at`

func scanSource(sc interface{ Scan(...any) error }, extra ...any) (store.Source, error) {
	var src store.Source
	var seen, replaced sql.NullInt64
	dest := []any{&src.URL, &src.FeedURL, &src.Title, &seen, &src.Reason, &src.Similarity, &src.TextRole, &replaced}
	if err := sc.Scan(append(extra, dest...)...); err != nil {
		return store.Source{}, err
	}
	src.SeenAt, src.ReplacedAt = fromMicros(seen), fromMicrosPtr(replaced)
	return src, nil
}

// sourcesOf lists an article's sources in sighting order.
func sourcesOf(ctx context.Context, q querier, id int64) ([]store.Source, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+sourceColumns+`
FROM sources s JOIN feeds f ON f.id = s.feed_id WHERE s.article_id = ? ORDER BY s.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	srcs := []store.Source{}
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, src)
	}
	return srcs, rows.Err()
}

// withSources fills an article's sources and its feed URL (the first one's).
func withSources(ctx context.Context, q querier, a *store.Article) error {
	srcs, err := sourcesOf(ctx, q, a.ID)
	if err != nil {
		return fmt.Errorf("sources of article %d: %w", a.ID, err)
	}
	a.Sources = srcs
	if len(srcs) > 0 {
		a.FeedURL = srcs[0].FeedURL
	}
	return nil
}

// Article returns one article with its sources.
func (s *Store) Article(ctx context.Context, id int64) (store.Article, error) {
	op := fmt.Sprintf("article %d", id)
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return store.Article{}, s.wrap(op, err)
	}
	defer tx.Rollback()
	a, err := scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles a WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Article{}, fmt.Errorf("sqlite: %s: %w", op, store.ErrNotFound)
	}
	if err != nil {
		return store.Article{}, s.wrap(op, err)
	}
	if err := withSources(ctx, tx, &a); err != nil {
		return store.Article{}, s.wrap(op, err)
	}
	return a, nil
}
