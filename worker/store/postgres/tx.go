package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

// ingestTx is the store.Tx that store.Decide runs against: plain statements
// on a transaction that already holds the ingest's advisory locks.
type ingestTx struct {
	tx pgx.Tx
}

var _ store.Tx = ingestTx{}

func (t ingestTx) SourceExists(ctx context.Context, feedID int64, itemKey string) (bool, error) {
	var ok bool
	err := t.tx.QueryRow(ctx,
		`SELECT EXISTS (SELECT 1 FROM sources WHERE feed_id = $1 AND item_key = $2)`,
		feedID, itemKey).Scan(&ok)
	return ok, err
}

func (t ingestTx) ArticleByURL(ctx context.Context, urlKey string) (policy.Stored, bool, error) {
	var st policy.Stored
	err := t.tx.QueryRow(ctx, `
		SELECT id, url, canonical_url, COALESCE(sketch, ''::bytea), words FROM articles WHERE canonical_url = $1`,
		urlKey).Scan(&st.ID, &st.URL, &st.URLKey, &st.Sketch, &st.Words)
	if errors.Is(err, pgx.ErrNoRows) {
		return policy.Stored{}, false, nil
	}
	return st, err == nil, err
}

func (t ingestTx) ArticleByHash(ctx context.Context, contentHash string) (int64, bool, error) {
	return t.articleID(ctx, `SELECT id FROM articles WHERE content_hash = $1`, contentHash)
}

func (t ingestTx) articleID(ctx context.Context, query, arg string) (int64, bool, error) {
	var id int64
	err := t.tx.QueryRow(ctx, query, arg).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

func (t ingestTx) Candidates(ctx context.Context, keys []uint64, limit int) ([]dedup.Candidate, error) {
	rows, err := t.tx.Query(ctx, `
		SELECT a.id, COALESCE(a.sketch, ''::bytea), a.words, k.shared
		FROM (SELECT article_id, count(*) AS shared FROM dedup_keys
		      WHERE key = ANY($1) GROUP BY article_id
		      ORDER BY shared DESC, article_id LIMIT $2) AS k
		JOIN articles a ON a.id = k.article_id
		ORDER BY k.shared DESC, a.id`,
		signedKeys(keys), limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (dedup.Candidate, error) {
		var c dedup.Candidate
		err := r.Scan(&c.ArticleID, &c.Sketch, &c.Words, &c.Shared)
		return c, err
	})
}

func (t ingestTx) InsertArticle(ctx context.Context, s store.Sighting) (int64, error) {
	a := s.Article
	var id int64
	err := t.tx.QueryRow(ctx, `
		INSERT INTO articles (url, canonical_url, title, author, site_name, language, published,
			text, content_hash, text_source, fetch_error, first_seen, sketch, words, raw_html)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		RETURNING id`,
		a.URL, nullString(a.CanonicalURL), a.Title, a.Author, a.SiteName, a.Language, a.Published,
		a.Text, nullString(a.ContentHash), a.Source(), a.FetchError, s.SeenAt,
		blob(s.Print.Sketch), s.Print.Words, blob(a.RawHTML)).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, insertKeys(ctx, t.tx, id, s.Print.Keys)
}

func (t ingestTx) AddSource(ctx context.Context, articleID int64, s store.Sighting, reason policy.Reason, similarity float64, represents bool) error {
	var role *string
	if represents {
		r := store.TextCurrent
		role = &r
	}
	_, err := t.tx.Exec(ctx, `
		INSERT INTO sources (article_id, feed_id, item_key, url, title, seen_at, reason, similarity, text_role)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		articleID, s.FeedID, s.ItemKey, s.ItemURL, s.ItemTitle, s.SeenAt, string(reason), similarity, role)
	return err
}

// Represent makes a fuller copy's page the article's, the page it replaces
// staying visible as replaced. The caller holds the locks of the copy's
// hash, keys and URL.
func (t ingestTx) Represent(ctx context.Context, articleID int64, s store.Sighting) error {
	a := s.Article
	tag, err := t.tx.Exec(ctx, `
		UPDATE articles SET url = $2, canonical_url = $3, title = $4, author = $5, site_name = $6,
			language = $7, published = $8, text = $9, content_hash = $10, text_source = $11,
			fetch_error = $12, words = $13, sketch = $14, raw_html = $15
		WHERE id = $1`,
		articleID, a.URL, nullString(a.CanonicalURL), a.Title, a.Author, a.SiteName, a.Language,
		a.Published, a.Text, nullString(a.ContentHash), a.Source(), a.FetchError,
		s.Print.Words, blob(s.Print.Sketch), blob(a.RawHTML))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	if _, err := t.tx.Exec(ctx, `
		UPDATE sources SET text_role = $3, replaced_at = $2 WHERE article_id = $1 AND text_role = $4`,
		articleID, s.SeenAt, store.TextReplaced, store.TextCurrent); err != nil {
		return fmt.Errorf("mark replaced page: %w", err)
	}
	if _, err := t.tx.Exec(ctx, `DELETE FROM dedup_keys WHERE article_id = $1`, articleID); err != nil {
		return err
	}
	return insertKeys(ctx, t.tx, articleID, s.Print.Keys)
}

// replaceText writes a re-extraction of an article's own page onto it:
// text, hash, fingerprint, title, URLs and the other extracted fields. A
// nil RawHTML keeps the stored page. The caller holds the locks of the new
// hash, keys and URL.
func replaceText(ctx context.Context, tx pgx.Tx, articleID int64, a store.ArticleData, fp dedup.Fingerprint) error {
	tag, err := tx.Exec(ctx, `
		UPDATE articles SET text = $2, content_hash = $3, text_source = $4, fetch_error = $5,
			words = $6, sketch = $7, raw_html = COALESCE($8, raw_html),
			title = $9, author = $10, site_name = $11, language = $12, published = $13,
			url = COALESCE(NULLIF($14, ''), url), canonical_url = COALESCE($15, canonical_url)
		WHERE id = $1`,
		articleID, a.Text, nullString(a.ContentHash), a.Source(), a.FetchError,
		fp.Words, blob(fp.Sketch), blob(a.RawHTML),
		a.Title, a.Author, a.SiteName, a.Language, a.Published,
		a.URL, nullString(a.CanonicalURL))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	if _, err := tx.Exec(ctx, `DELETE FROM dedup_keys WHERE article_id = $1`, articleID); err != nil {
		return err
	}
	return insertKeys(ctx, tx, articleID, fp.Keys)
}

func insertKeys(ctx context.Context, tx pgx.Tx, articleID int64, keys []uint64) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO dedup_keys (key, article_id)
		SELECT DISTINCT k, $2::bigint FROM unnest($1::bigint[]) AS k`,
		signedKeys(keys), articleID)
	return err
}

// signedKeys stores uint64 keys as BIGINT by their bit pattern.
func signedKeys(keys []uint64) []int64 {
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = int64(k)
	}
	return out
}
