package sqlite

import (
	"context"
	"database/sql"

	"github.com/wiresift/wiresift/worker/store"
)

// TopSyndicated returns the articles seen on the most distinct feeds, most
// first (ties: lowest id), with their sources.
func (s *Store) TopSyndicated(ctx context.Context, limit int) ([]store.Article, error) {
	return s.articleList(ctx, "top syndicated", `
SELECT `+articleColumns+` FROM articles a
JOIN (SELECT article_id, count(DISTINCT feed_id) AS feeds FROM sources GROUP BY article_id) c
  ON c.article_id = a.id
ORDER BY c.feeds DESC, a.id LIMIT ?`, limit)
}

// LatestArticles returns the most recently first-seen articles, newest first,
// with their sources.
func (s *Store) LatestArticles(ctx context.Context, limit int) ([]store.Article, error) {
	return s.articleList(ctx, "latest articles", `
SELECT `+articleColumns+` FROM articles a ORDER BY a.first_seen DESC, a.id DESC LIMIT ?`, limit)
}

// articleList runs a bounded article query and fills each one's sources.
func (s *Store) articleList(ctx context.Context, op, query string, limit int) ([]store.Article, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, limit)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	var list []store.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			rows.Close()
			return nil, s.wrap(op, err)
		}
		list = append(list, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap(op, err)
	}
	for i := range list {
		if err := withSources(ctx, tx, &list[i]); err != nil {
			return nil, s.wrap(op, err)
		}
	}
	return list, nil
}

// RawPages streams every article that kept its raw page, in id order, for
// reprocess. fn may write to the store meanwhile (ReprocessArticle): the cursor reads a
// snapshot taken at the start.
func (s *Store) RawPages(ctx context.Context, fn func(id int64, url string, raw []byte) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s.wrap("raw pages", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, url, raw_html FROM articles WHERE raw_html IS NOT NULL ORDER BY id`)
	if err != nil {
		return s.wrap("raw pages", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id  int64
			url string
			raw []byte
		)
		if err := rows.Scan(&id, &url, &raw); err != nil {
			return s.wrap("raw pages", err)
		}
		if err := fn(id, url, raw); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return s.wrap("raw pages", err)
	}
	return nil
}
