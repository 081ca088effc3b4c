package bench

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/wiresift/wiresift/worker/store/sqlite"
)

// Archive describes a synthetic archive built straight through SQL, far
// faster than ingesting: Articles articles, each with KeysPerArticle random
// near-duplicate keys, a sketch of SketchBytes, one source, and TextBytes of
// text (indexed for search, as the store indexes the articles it inserts).
type Archive struct {
	Articles       int
	KeysPerArticle int
	SketchBytes    int
	TextBytes      int
}

// chunk is how many articles one transaction inserts.
const chunk = 50_000

// CachedPath is where the archive for schema lives under dir; the name
// carries the shape and the schema's hash, so a changed schema builds anew.
func (a Archive) CachedPath(dir, schema string) string {
	sum := sha256.Sum256([]byte(schema))
	return filepath.Join(dir, fmt.Sprintf("archive-%d-%dk-%ds-%dt-%s.db",
		a.Articles, a.KeysPerArticle, a.SketchBytes, a.TextBytes, hex.EncodeToString(sum[:6])))
}

// Build creates the archive at path unless it is there already. The store
// creates and migrates the file; the rows then go in through recursive
// SQL, a chunk per transaction. A half-built file is removed.
func (a Archive) Build(ctx context.Context, path, schema string) (err error) {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	tmp := path + ".building"
	os.Remove(tmp)
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	st, err := sqlite.Open(ctx, tmp, schema)
	if err != nil {
		return fmt.Errorf("bench: create archive: %w", err)
	}
	st.Close()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: tmp}).EscapedPath()+"?_pragma=synchronous(OFF)&_pragma=journal_mode(OFF)&_pragma=cache_size(-2000000)")
	if err != nil {
		return fmt.Errorf("bench: open archive: %w", err)
	}
	defer db.Close()
	// One connection, so the 2 GB page cache asked above is the one that
	// every chunk reuses: the random-order key inserts then touch memory,
	// not the disk. No journal: a failed build is deleted anyway.
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `INSERT INTO feeds (url, next_poll_at) VALUES ('http://bench.test/feed.xml', 0)`); err != nil {
		return fmt.Errorf("bench: archive feed: %w", err)
	}
	for lo := 1; lo <= a.Articles; lo += chunk {
		hi := min(lo+chunk-1, a.Articles)
		if err := a.insertChunk(ctx, db, lo, hi); err != nil {
			return fmt.Errorf("bench: archive rows %d-%d: %w", lo, hi, err)
		}
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("bench: close archive: %w", err)
	}
	return os.Rename(tmp, path)
}

func (a Archive) insertChunk(ctx context.Context, db *sql.DB, lo, hi int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Text: words that differ per article, so FTS has a real vocabulary.
	_, err = tx.ExecContext(ctx, `
WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
INSERT INTO articles (id, url, canonical_url, title, text, content_hash, first_seen, words, sketch)
SELECT i, 'http://bench.test/a/' || i, 'http://bench.test/a/' || i, 'Story ' || i,
       substr(replace(hex(randomblob(?)), 'A', ' w' || (i % 977) || ' '), 1, ?),
       lower(hex(randomblob(32))), 1700000000000000 + i, 400, randomblob(?)
FROM n`, lo, hi, a.TextBytes/2+1, a.TextBytes, a.SketchBytes)
	if err != nil {
		return fmt.Errorf("articles: %w", err)
	}
	// Since schema version 8 the store, not a trigger, indexes new articles.
	_, err = tx.ExecContext(ctx, `
INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE id BETWEEN ? AND ?`, lo, hi)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	_, err = tx.ExecContext(ctx, `
WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
INSERT INTO sources (article_id, feed_id, item_key, url, title, seen_at, reason, similarity)
SELECT i, 1, 'item-' || i, 'http://bench.test/a/' || i, 'Story ' || i, 1700000000000000 + i, 'first', 1
FROM n`, lo, hi)
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	_, err = tx.ExecContext(ctx, `
WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?),
     k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < ?)
INSERT OR IGNORE INTO dedup_keys (key, article_id)
SELECT key, i FROM (SELECT random() AS key, i FROM n, k) ORDER BY key`, lo, hi, a.KeysPerArticle)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	return tx.Commit()
}

// StoredKeys reads the near-duplicate keys of one stored article.
func StoredKeys(ctx context.Context, path string, articleID int64) ([]uint64, error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("bench: open archive: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT key FROM dedup_keys WHERE article_id = ?`, articleID)
	if err != nil {
		return nil, fmt.Errorf("bench: stored keys: %w", err)
	}
	defer rows.Close()
	var keys []uint64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("bench: stored keys: %w", err)
		}
		keys = append(keys, uint64(k))
	}
	return keys, rows.Err()
}
