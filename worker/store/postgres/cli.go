package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

// Sources lists every place an article was seen, in sighting order;
// store.ErrNotFound if the article does not exist.
func (s *Store) Sources(ctx context.Context, articleID int64) ([]store.Source, error) {
	a, err := s.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	return a.Sources, nil
}

// TopSyndicated returns the articles seen on the most distinct feeds, most
// first (ties: lowest id), with their sources.
func (s *Store) TopSyndicated(ctx context.Context, limit int) ([]store.Article, error) {
	return s.articleList(ctx, articleQuery+`
		JOIN (SELECT article_id, count(DISTINCT feed_id) AS feeds FROM sources GROUP BY article_id) AS c
			ON c.article_id = a.id
		ORDER BY c.feeds DESC, a.id LIMIT $1`, limit)
}

// LatestArticles returns the most recently first-seen articles, newest first,
// with their sources.
func (s *Store) LatestArticles(ctx context.Context, limit int) ([]store.Article, error) {
	return s.articleList(ctx, articleQuery+` ORDER BY a.first_seen DESC, a.id DESC LIMIT $1`, limit)
}

func (s *Store) articleList(ctx context.Context, q string, limit int) ([]store.Article, error) {
	var list []store.Article
	err := s.streamArticles(ctx, q, []any{limit}, func(a store.Article) error {
		list = append(list, a)
		return nil
	})
	return list, err
}

// RawPages streams every article that kept its raw page, in id order, for
// reprocess. fn may call UpdateArticleText meanwhile: the query reads the
// snapshot taken when it started, on its own connection.
func (s *Store) RawPages(ctx context.Context, fn func(id int64, url string, raw []byte) error) error {
	rows, err := s.pool.Query(ctx, `SELECT id, url, raw_html FROM articles WHERE raw_html IS NOT NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("postgres: raw pages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var url string
		var raw []byte
		if err := rows.Scan(&id, &url, &raw); err != nil {
			return fmt.Errorf("postgres: raw pages: %w", err)
		}
		if err := fn(id, url, raw); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: raw pages: %w", err)
	}
	return nil
}

// UpdateArticleText replaces an article's extracted text, metadata and
// fingerprint after reprocessing; its sources and first-seen time stay. A nil
// RawHTML keeps the stored page. It takes the ingest locks of what it writes
// (hash, keys, canonical URL), so a concurrent ingest sees either the old or
// the new text, never decides against a half-written one.
func (s *Store) UpdateArticleText(ctx context.Context, id int64, a store.ArticleData, fp dedup.Fingerprint) error {
	locks := textLocks(a.ContentHash, fp)
	if a.CanonicalURL != "" {
		locks = append(locks, lockKey("url", a.CanonicalURL))
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockAll(ctx, tx, sortedUnique(locks)); err != nil {
			return err
		}
		return replaceText(ctx, tx, id, a, fp)
	})
	if err != nil {
		return writeErr(fmt.Sprintf("update text of article %d", id), err)
	}
	return nil
}
