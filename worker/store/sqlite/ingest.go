package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

// Ingest stores one sighting in one IMMEDIATE transaction. SQLite has one
// writer at a time, so Decide's look-ups and its writes see no concurrent
// ingest: copies of one story arriving at once end as one article. When
// more articles are coming, the writer waits a little for them to share
// the commit (gatherWait).
func (s *Store) Ingest(ctx context.Context, sg store.Sighting) (store.Outcome, error) {
	var out store.Outcome
	err := s.runTx(ctx, "ingest "+sg.ItemURL, sg.MoreComing, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = store.Decide(ctx, s.ingestTx(tx), sg)
		if err != nil || !s.events.Load() {
			return err
		}
		return insertEvents(ctx, tx, store.EventsFor(out, sg))
	})
	if err != nil {
		return store.Outcome{}, err
	}
	s.ckpt.ingested()
	return out, nil
}

// SeenItems returns which of keys this feed already ingested.
func (s *Store) SeenItems(ctx context.Context, feedID int64, keys []string) (map[string]bool, error) {
	seen := make(map[string]bool)
	if len(keys) == 0 {
		return seen, nil
	}
	list, _ := json.Marshal(keys)
	rows, err := s.read.QueryContext(ctx, `
SELECT item_key FROM sources WHERE feed_id = ? AND item_key IN (SELECT value FROM json_each(?))`,
		feedID, string(list))
	if err != nil {
		return nil, s.wrap("seen items", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, s.wrap("seen items", err)
		}
		seen[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("seen items", err)
	}
	return seen, nil
}

// SightingsOf returns the feed's recorded sightings of the item links.
func (s *Store) SightingsOf(ctx context.Context, feedID int64, links []string) ([]policy.ItemSighting, error) {
	if len(links) == 0 {
		return nil, nil
	}
	list, _ := json.Marshal(links)
	rows, err := s.read.QueryContext(ctx, `
SELECT item_key, url, title FROM sources
WHERE feed_id = ? AND url IN (SELECT value FROM json_each(?)) ORDER BY id`, feedID, string(list))
	if err != nil {
		return nil, s.wrap("sightings of item links", err)
	}
	defer rows.Close()
	var out []policy.ItemSighting
	for rows.Next() {
		var it policy.ItemSighting
		if err := rows.Scan(&it.Key, &it.Link, &it.Title); err != nil {
			return nil, s.wrap("sightings of item links", err)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("sightings of item links", err)
	}
	return out, nil
}

// keysJSON encodes dedup keys as a JSON array of their int64 bits, the
// form dedup_keys stores them in (SQLite integers are signed).
func keysJSON(keys []uint64) string {
	ks := make([]int64, len(keys))
	for i, k := range keys {
		ks[i] = int64(k)
	}
	b, _ := json.Marshal(ks)
	return string(b)
}

// ingestTx is store.Tx on an open write transaction; st are the store's
// prepared statements, which it runs on tx; fts lists the new articles
// that tx still owes the search index.
type ingestTx struct {
	tx  *sql.Tx
	st  *ingestStmts
	fts *ftsDue
}

// ingestTx wraps a transaction of the group writer (fts is its list, so
// only a function that the writer runs may call it).
func (s *Store) ingestTx(tx *sql.Tx) ingestTx {
	return ingestTx{tx: tx, st: s.ingest, fts: &s.writer.fts}
}

// indexOwed indexes the new articles of this transaction before a
// statement changes or deletes an article's text: the FTS triggers of
// those statements assume the index holds the row.
func (t ingestTx) indexOwed(ctx context.Context) error {
	return t.fts.flush(ctx, t.tx)
}

// stmt is a prepared ingest statement bound to the transaction.
func (t ingestTx) stmt(ctx context.Context, s *sql.Stmt) *sql.Stmt {
	return t.tx.StmtContext(ctx, s)
}

func (t ingestTx) SourceExists(ctx context.Context, feedID int64, itemKey string) (bool, error) {
	var one int
	err := t.stmt(ctx, t.st.sourceExists).QueryRowContext(ctx, feedID, itemKey).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}

// articleID runs a look-up of one article id by a unique column.
func (t ingestTx) articleID(ctx context.Context, lookup *sql.Stmt, value string) (int64, bool, error) {
	var id int64
	err := t.stmt(ctx, lookup).QueryRowContext(ctx, value).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	return id, err == nil, err
}

func (t ingestTx) ArticleByURL(ctx context.Context, urlKey string) (policy.Stored, bool, error) {
	var st policy.Stored
	err := t.stmt(ctx, t.st.articleByURL).QueryRowContext(ctx, urlKey).Scan(&st.ID, &st.URL, &st.URLKey, &st.Sketch, &st.Words)
	if err == sql.ErrNoRows {
		return policy.Stored{}, false, nil
	}
	return st, err == nil, err
}

func (t ingestTx) ArticleByHash(ctx context.Context, contentHash string) (int64, bool, error) {
	return t.articleID(ctx, t.st.articleByHash, contentHash)
}

func (t ingestTx) Candidates(ctx context.Context, keys []uint64, limit int) ([]dedup.Candidate, error) {
	rows, err := t.stmt(ctx, t.st.candidates).QueryContext(ctx, keysJSON(keys), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cands []dedup.Candidate
	for rows.Next() {
		var c dedup.Candidate
		if err := rows.Scan(&c.ArticleID, &c.Sketch, &c.Words, &c.Shared); err != nil {
			return nil, err
		}
		cands = append(cands, c)
	}
	return cands, rows.Err()
}

// nullIfEmpty stores "" as NULL, so that an article without a canonical URL
// or hash does not collide with another one under the UNIQUE constraints.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (t ingestTx) InsertArticle(ctx context.Context, sg store.Sighting) (int64, error) {
	a := sg.Article
	var id int64
	err := t.stmt(ctx, t.st.insertArticle).QueryRowContext(ctx,
		a.URL, nullIfEmpty(a.CanonicalURL), a.Title, a.Author, a.SiteName, a.Language,
		microsPtr(a.Published), a.Text, nullIfEmpty(a.ContentHash), a.Source(),
		a.FetchError, micros(sg.SeenAt), sg.Print.Words, blob(sg.Print.Sketch), blob(a.RawHTML)).Scan(&id)
	if err != nil {
		return 0, err
	}
	if err := t.insertKeys(ctx, id, sg.Print.Keys); err != nil {
		return 0, err
	}
	// Indexed for search when the writer's transaction ends (ftsDue).
	t.fts.add(id)
	return id, nil
}

// blob binds an empty byte slice as NULL: "no page kept", not "empty page".
func blob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// setKeys replaces an article's near-duplicate lookup keys.
func (t ingestTx) setKeys(ctx context.Context, id int64, keys []uint64) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM dedup_keys WHERE article_id = ?`, id); err != nil {
		return fmt.Errorf("clear keys: %w", err)
	}
	return t.insertKeys(ctx, id, keys)
}

func (t ingestTx) insertKeys(ctx context.Context, id int64, keys []uint64) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := t.stmt(ctx, t.st.insertKeys).ExecContext(ctx, id, keysJSON(keys))
	if err != nil {
		return fmt.Errorf("insert keys: %w", err)
	}
	return nil
}

func (t ingestTx) AddSource(ctx context.Context, articleID int64, sg store.Sighting, reason policy.Reason, similarity float64, represents bool) error {
	var role any
	if represents {
		role = store.TextCurrent
	}
	_, err := t.stmt(ctx, t.st.addSource).ExecContext(ctx,
		articleID, sg.FeedID, sg.ItemKey, sg.ItemURL, sg.ItemTitle, micros(sg.SeenAt), string(reason), similarity, role)
	return err
}

// Represent makes a fuller copy's page the article's, the page it replaces
// staying visible as replaced. The FTS triggers re-index it in this same
// transaction.
func (t ingestTx) Represent(ctx context.Context, articleID int64, sg store.Sighting) error {
	if err := t.indexOwed(ctx); err != nil {
		return err
	}
	a := sg.Article
	res, err := t.tx.ExecContext(ctx, `
UPDATE articles SET url = ?, canonical_url = ?, title = ?, author = ?, site_name = ?, language = ?,
    published = ?, text = ?, content_hash = ?, text_source = ?, fetch_error = ?, words = ?,
    sketch = ?, raw_html = ?
WHERE id = ?`,
		a.URL, nullIfEmpty(a.CanonicalURL), a.Title, a.Author, a.SiteName, a.Language,
		microsPtr(a.Published), a.Text, nullIfEmpty(a.ContentHash), a.Source(), a.FetchError,
		sg.Print.Words, blob(sg.Print.Sketch), blob(a.RawHTML), articleID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	if _, err := t.tx.ExecContext(ctx, `
UPDATE sources SET text_role = ?, replaced_at = ? WHERE article_id = ? AND text_role = ?`,
		store.TextReplaced, micros(sg.SeenAt), articleID, store.TextCurrent); err != nil {
		return fmt.Errorf("mark replaced page: %w", err)
	}
	return t.setKeys(ctx, articleID, sg.Print.Keys)
}

// updateText writes a re-extraction of an article's own page onto it: text,
// hash, fingerprint, title, URLs and the other extracted fields. A nil
// RawHTML keeps the stored page.
func updateText(ctx context.Context, t ingestTx, id int64, a store.ArticleData, fp dedup.Fingerprint) error {
	if err := t.indexOwed(ctx); err != nil {
		return err
	}
	res, err := t.tx.ExecContext(ctx, `
UPDATE articles SET text = ?, content_hash = ?, text_source = ?, fetch_error = ?,
    words = ?, sketch = ?, raw_html = coalesce(?, raw_html),
    title = ?, author = ?, site_name = ?, language = ?, published = ?,
    url = coalesce(nullif(?, ''), url), canonical_url = coalesce(?, canonical_url)
WHERE id = ?`,
		a.Text, nullIfEmpty(a.ContentHash), a.Source(), a.FetchError,
		fp.Words, blob(fp.Sketch), blob(a.RawHTML),
		a.Title, a.Author, a.SiteName, a.Language, microsPtr(a.Published),
		a.URL, nullIfEmpty(a.CanonicalURL), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return t.setKeys(ctx, id, fp.Keys)
}
