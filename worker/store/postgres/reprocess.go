package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

// ReprocessArticle writes a re-extracted article back in one transaction,
// merging it into another article when it now duplicates one
// (store.Redecide). It takes the ingest locks of the new text and URL, which
// a match can only come through, and of the old ones, so that no ingest adds
// a sighting to an article this merge is deleting. A lost unique race is
// retried once, as for Ingest.
func (s *Store) ReprocessArticle(ctx context.Context, id int64, a store.ArticleData, fp dedup.Fingerprint) (store.Reprocessed, error) {
	out, err := s.reprocessOnce(ctx, id, a, fp)
	if retryable(err) {
		out, err = s.reprocessOnce(ctx, id, a, fp)
	}
	if err != nil {
		return store.Reprocessed{}, fmt.Errorf("postgres: reprocess article %d: %w", id, err)
	}
	return out, nil
}

func (s *Store) reprocessOnce(ctx context.Context, id int64, a store.ArticleData, fp dedup.Fingerprint) (store.Reprocessed, error) {
	var out store.Reprocessed
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		locks, err := storedLocks(ctx, tx, id)
		if err != nil {
			return err
		}
		locks = append(locks, articleLocks(a, fp)...)
		locked := sortedUnique(locks)
		if err := lockAll(ctx, tx, locked); err != nil {
			return err
		}
		// An ingest may have upgraded the article's text between the read
		// and the locks; lock its names as they are now. No further change
		// can slip in: it would need one of the locks held from here on.
		current, err := storedLocks(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := lockAll(ctx, tx, notIn(sortedUnique(current), locked)); err != nil {
			return err
		}
		out, err = store.Redecide(ctx, ingestTx{tx: tx}, id, a, fp)
		if err != nil || !s.events.Load() {
			return err
		}
		return insertEvents(ctx, tx, store.ReprocessEvents(id, out, time.Now()))
	})
	return out, err
}

// storedLocks are the ingest locks of what an article carries now: its
// canonical URL, hash and near-duplicate keys. None for a missing article.
func storedLocks(ctx context.Context, tx pgx.Tx, id int64) ([]int64, error) {
	var url, hash *string
	err := tx.QueryRow(ctx, `SELECT canonical_url, content_hash FROM articles WHERE id = $1`, id).Scan(&url, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read article: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT key FROM dedup_keys WHERE article_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("read keys: %w", err)
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (uint64, error) {
		var k int64
		err := r.Scan(&k)
		return uint64(k), err
	})
	if err != nil {
		return nil, fmt.Errorf("read keys: %w", err)
	}
	var fp dedup.Fingerprint
	fp.Keys = keys
	locks := textLocks(deref(hash), fp)
	if url != nil {
		locks = append(locks, lockKey("url", *url))
	}
	return locks, nil
}

// notIn returns the keys of want that held lacks.
func notIn(want, held []int64) []int64 {
	var out []int64
	for _, k := range want {
		if _, found := slices.BinarySearch(held, k); !found {
			out = append(out, k)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// StoredText is an article's current text; ErrNotFound if it is gone.
func (t ingestTx) StoredText(ctx context.Context, id int64) (string, error) {
	var text string
	err := t.tx.QueryRow(ctx, `SELECT text FROM articles WHERE id = $1`, id).Scan(&text)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", store.ErrNotFound
	}
	return text, err
}

func (t ingestTx) UpdateArticle(ctx context.Context, id int64, a store.ArticleData, fp dedup.Fingerprint) error {
	return replaceText(ctx, t.tx, id, a, fp)
}

// MergeArticle folds article from into article into: from's sightings move
// over (its own first sighting now counts as a duplicate of into), into
// keeps the earlier first-seen time, and from is deleted with its keys.
func (t ingestTx) MergeArticle(ctx context.Context, from, into int64, reason policy.Reason, similarity float64) error {
	tag, err := t.tx.Exec(ctx, `
		UPDATE articles SET first_seen = LEAST(first_seen, (SELECT first_seen FROM articles WHERE id = $1))
		WHERE id = $2 AND EXISTS (SELECT 1 FROM articles WHERE id = $1)`, from, into)
	if err != nil {
		return fmt.Errorf("first seen: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	if _, err := t.tx.Exec(ctx, `
		UPDATE sources SET reason = $2, similarity = $3 WHERE article_id = $1 AND reason = $4`,
		from, string(reason), similarity, string(store.ReasonFirst)); err != nil {
		return fmt.Errorf("relabel sources: %w", err)
	}
	// from's pages never were into's: they keep no text role.
	if _, err := t.tx.Exec(ctx, `
		UPDATE sources SET article_id = $2, text_role = NULL, replaced_at = NULL WHERE article_id = $1`, from, into); err != nil {
		return fmt.Errorf("move sources: %w", err)
	}
	if _, err := t.tx.Exec(ctx, `DELETE FROM articles WHERE id = $1`, from); err != nil {
		return fmt.Errorf("delete article: %w", err)
	}
	return nil
}
