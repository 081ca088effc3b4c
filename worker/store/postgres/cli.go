package postgres

import (
	"context"
	"fmt"

	"github.com/wiresift/wiresift/worker/store"
)

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
// reprocess. fn may write to the store meanwhile (ReprocessArticle): the query reads the
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
