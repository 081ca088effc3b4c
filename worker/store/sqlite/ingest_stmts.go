package sqlite

import (
	"context"
	"database/sql"
)

// The statements one ingest runs. Each is a single statement without a
// trailing semicolon, so that the driver keeps it compiled between runs.
const (
	sourceExistsSQL  = `SELECT 1 FROM sources WHERE feed_id = ? AND item_key = ?`
	articleByURLSQL  = `SELECT id, url, canonical_url, sketch, words FROM articles WHERE canonical_url = ?`
	articleByHashSQL = `SELECT id FROM articles WHERE content_hash = ?`
	candidatesSQL    = `
SELECT a.id, a.sketch, a.words, c.shared
FROM (SELECT article_id, count(*) AS shared FROM dedup_keys
      WHERE key IN (SELECT value FROM json_each(?))
      GROUP BY article_id ORDER BY shared DESC, article_id LIMIT ?) AS c
JOIN articles a ON a.id = c.article_id
ORDER BY c.shared DESC, a.id`
	insertArticleSQL = `
INSERT INTO articles (url, canonical_url, title, author, site_name, language, published,
    text, content_hash, text_source, fetch_error, first_seen, words, sketch, raw_html)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	insertKeysSQL = `
INSERT OR IGNORE INTO dedup_keys (key, article_id) SELECT value, ? FROM json_each(?)`
	addSourceSQL = `
INSERT INTO sources (article_id, feed_id, item_key, url, title, seen_at, reason, similarity, text_role)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// ingestStmts are the ingest statements, prepared once on the write
// connection: SQLite took about as long to parse them as to run the
// look-ups, on every ingest.
type ingestStmts struct {
	sourceExists, articleByURL, articleByHash, candidates,
	insertArticle, insertKeys, addSource, indexFTS *sql.Stmt
}

// prepareIngest prepares the ingest statements on db; on failure it closes
// those it had prepared.
func prepareIngest(ctx context.Context, db *sql.DB) (*ingestStmts, error) {
	st := &ingestStmts{}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&st.sourceExists, sourceExistsSQL},
		{&st.articleByURL, articleByURLSQL},
		{&st.articleByHash, articleByHashSQL},
		{&st.candidates, candidatesSQL},
		{&st.insertArticle, insertArticleSQL},
		{&st.insertKeys, insertKeysSQL},
		{&st.addSource, addSourceSQL},
		{&st.indexFTS, indexFTSSQL},
	} {
		var err error
		if *p.stmt, err = db.PrepareContext(ctx, p.sql); err != nil {
			st.close()
			return nil, err
		}
	}
	return st, nil
}

// close closes the prepared statements; a nil st is fine.
func (st *ingestStmts) close() {
	if st == nil {
		return
	}
	for _, s := range []*sql.Stmt{st.sourceExists, st.articleByURL, st.articleByHash,
		st.candidates, st.insertArticle, st.insertKeys, st.addSource, st.indexFTS} {
		if s != nil {
			s.Close()
		}
	}
}
