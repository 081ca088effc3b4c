package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

// ReprocessArticle writes a re-extracted article back in one IMMEDIATE
// transaction, merging it into another article when it now duplicates one
// (store.Redecide). The single writer makes the look-ups and the writes
// atomic against ingests, as for Ingest.
func (s *Store) ReprocessArticle(ctx context.Context, id int64, a store.ArticleData, fp dedup.Fingerprint) (store.Reprocessed, error) {
	var out store.Reprocessed
	err := s.inTx(ctx, fmt.Sprintf("reprocess article %d", id), func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = store.Redecide(ctx, s.ingestTx(tx), id, a, fp)
		if err != nil || !s.events.Load() {
			return err
		}
		return insertEvents(ctx, tx, store.ReprocessEvents(id, out, time.Now()))
	})
	if err != nil {
		return store.Reprocessed{}, err
	}
	return out, nil
}

// StoredText is an article's current text; ErrNotFound if it is gone.
func (t ingestTx) StoredText(ctx context.Context, id int64) (string, error) {
	var text string
	err := t.tx.QueryRowContext(ctx, `SELECT text FROM articles WHERE id = ?`, id).Scan(&text)
	if err == sql.ErrNoRows {
		return "", store.ErrNotFound
	}
	return text, err
}

func (t ingestTx) UpdateArticle(ctx context.Context, id int64, a store.ArticleData, fp dedup.Fingerprint) error {
	return updateText(ctx, t, id, a, fp)
}

// MergeArticle folds article from into article into: from's sightings move
// over (its own first sighting now counts as a duplicate of into), into
// keeps the earlier first-seen time, and from is deleted with its keys and
// its search entry (cascade and trigger).
func (t ingestTx) MergeArticle(ctx context.Context, from, into int64, reason policy.Reason, similarity float64) error {
	if err := t.indexOwed(ctx); err != nil {
		return err
	}
	res, err := t.tx.ExecContext(ctx, `
UPDATE articles SET first_seen = min(first_seen, (SELECT first_seen FROM articles WHERE id = ?))
WHERE id = ? AND EXISTS (SELECT 1 FROM articles WHERE id = ?)`, from, into, from)
	if err != nil {
		return fmt.Errorf("first seen: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	if _, err := t.tx.ExecContext(ctx, `
UPDATE sources SET reason = ?, similarity = ? WHERE article_id = ? AND reason = ?`,
		string(reason), similarity, from, string(store.ReasonFirst)); err != nil {
		return fmt.Errorf("relabel sources: %w", err)
	}
	// from's pages never were into's: they keep no text role.
	if _, err := t.tx.ExecContext(ctx, `
UPDATE sources SET article_id = ?, text_role = NULL, replaced_at = NULL WHERE article_id = ?`, into, from); err != nil {
		return fmt.Errorf("move sources: %w", err)
	}
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, from); err != nil {
		return fmt.Errorf("delete article: %w", err)
	}
	return nil
}
