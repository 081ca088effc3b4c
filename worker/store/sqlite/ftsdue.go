package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// indexFTSSQL indexes the listed articles' title and text for search.
const indexFTSSQL = `
INSERT INTO articles_fts (rowid, title, text)
SELECT id, title, text FROM articles WHERE id IN (SELECT value FROM json_each(?))`

// ftsDue lists the articles that the open write transaction inserted and
// that articles_fts does not index yet. New articles are indexed at the end
// of the transaction, all at once, instead of by a trigger at each insert:
// FTS5 writes the terms it holds as a new segment at every savepoint, and a
// group commit opens one per write (plus a statement journal for the dedup
// keys' INSERT … SELECT), so a trigger left one segment, and its merges, per
// article; indexed last, a group makes one.
//
// Only the writer goroutine touches it. Whatever changes or deletes an
// article's title or text in the same transaction must flush it first:
// the update and delete triggers take out of the index what they assume
// it holds.
type ftsDue struct {
	ids []int64
	// stmt is indexFTSSQL prepared on the write connection; nil while the
	// schema still has the insert trigger (opened with schema.sql before
	// version 8), which indexes each article itself.
	stmt *sql.Stmt
}

// add owes the index article id.
func (d *ftsDue) add(id int64) {
	if d.stmt != nil {
		d.ids = append(d.ids, id)
	}
}

// mark is what undo goes back to. flush drops its slice instead of
// truncating it, so the ids a mark holds are never overwritten.
func (d *ftsDue) mark() []int64 { return d.ids }

// undo forgets the articles added since m, whose savepoint was rolled back
// (and restores those a rolled-back flush indexed).
func (d *ftsDue) undo(m []int64) { d.ids = m }

// reset forgets everything: the transaction was rolled back.
func (d *ftsDue) reset() { d.ids = nil }

// flush indexes the articles owed, in tx. The IN list is walked in id
// order, the only order in which FTS5 adds rows to what it holds without
// writing a segment first.
func (d *ftsDue) flush(ctx context.Context, tx *sql.Tx) error {
	if len(d.ids) == 0 {
		return nil
	}
	ids, _ := json.Marshal(d.ids)
	if _, err := tx.StmtContext(ctx, d.stmt).ExecContext(ctx, string(ids)); err != nil {
		return fmt.Errorf("index new articles for search: %w", err)
	}
	d.ids = nil
	return nil
}

// insertTriggerSQL counts the schema's FTS insert triggers (0 or 1).
const insertTriggerSQL = `
SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'articles_fts_insert'`

// indexesOnInsert reports whether the schema's insert trigger indexes new
// articles for search, as it did before version 8.
func indexesOnInsert(ctx context.Context, db *sql.DB) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, insertTriggerSQL).Scan(&n)
	return n > 0, err
}
