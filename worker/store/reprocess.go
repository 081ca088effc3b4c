package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/wiresift/wiresift/worker/dedup"
)

// ReprocessTx is what Redecide needs from a backend transaction: the ingest
// look-ups, plus the writes of a reprocess. Backends serialise it against
// ingests of possibly-equal stories the same way as Ingest.
type ReprocessTx interface {
	Tx
	// StoredText returns an article's current text; ErrNotFound if it is gone.
	StoredText(ctx context.Context, id int64) (string, error)
	// UpdateArticle replaces an article's text, metadata and fingerprint; its
	// sources and first-seen time stay. A nil RawHTML keeps the stored page.
	UpdateArticle(ctx context.Context, id int64, a ArticleData, fp dedup.Fingerprint) error
	// MergeArticle moves every source of from onto into, relabelling from's
	// first sighting with reason and similarity, keeps the earlier first-seen
	// time, and deletes from.
	MergeArticle(ctx context.Context, from, into int64, reason string, similarity float64) error
}

// Reprocessed says what Redecide did with one article.
type Reprocessed struct {
	// Changed: the re-extracted text differs from the stored one.
	Changed bool
	// MergedInto, when not 0, is the article this one turned out to copy: its
	// sources moved there and it was deleted.
	MergedInto int64
	Reason     string // why it was merged (a Reason constant)
	Similarity float64
	// Gone: the article no longer exists (merged away earlier in this run).
	Gone bool
}

// Redecide writes a re-extracted article (a, with fingerprint fp) back over
// article id, in one transaction. If the new text or URL now identifies
// another stored article (same canonical URL, same hash, or a near-duplicate
// text), the two are one story that the old extraction kept apart: id is
// merged into the other. Otherwise id gets the new text and metadata.
//
// A merged article keeps the text it has; a reprocess pass reaches it in
// turn. Redecide never splits: an article keeps one page, so the texts of
// the sightings folded into it cannot be re-extracted one by one.
func Redecide(ctx context.Context, tx ReprocessTx, id int64, a ArticleData, fp dedup.Fingerprint) (Reprocessed, error) {
	old, err := tx.StoredText(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return Reprocessed{Gone: true}, nil
	}
	if err != nil {
		return Reprocessed{}, fmt.Errorf("read article %d: %w", id, err)
	}
	into, reason, sim, err := otherCopy(ctx, tx, id, a, fp)
	if err != nil {
		return Reprocessed{}, fmt.Errorf("look up copies of article %d: %w", id, err)
	}
	if into != 0 {
		if err := tx.MergeArticle(ctx, id, into, reason, sim); err != nil {
			return Reprocessed{}, fmt.Errorf("merge article %d into %d: %w", id, into, err)
		}
		return Reprocessed{Changed: old != a.Text, MergedInto: into, Reason: reason, Similarity: sim}, nil
	}
	if err := tx.UpdateArticle(ctx, id, a, fp); err != nil {
		return Reprocessed{}, fmt.Errorf("update article %d: %w", id, err)
	}
	return Reprocessed{Changed: old != a.Text}, nil
}

// otherCopy runs Decide's layers for a, ignoring article id itself, and
// returns the article a duplicates (0 if none).
func otherCopy(ctx context.Context, tx ReprocessTx, id int64, a ArticleData, fp dedup.Fingerprint) (int64, string, float64, error) {
	if a.CanonicalURL != "" {
		other, ok, err := tx.ArticleByURL(ctx, a.CanonicalURL)
		if err != nil || ok && other != id {
			return other, ReasonSameURL, 1, err
		}
	}
	if a.ContentHash != "" {
		other, ok, err := tx.ArticleByHash(ctx, a.ContentHash)
		if err != nil || ok && other != id {
			return other, ReasonSameHash, 1, err
		}
	}
	if len(fp.Keys) == 0 {
		return 0, "", 0, nil
	}
	// One more than ingest: the article's own old keys may bring it back.
	cands, err := tx.Candidates(ctx, fp.Keys, maxCandidates+1)
	if err != nil {
		return 0, "", 0, err
	}
	others := cands[:0]
	for _, c := range cands {
		if c.ArticleID != id {
			others = append(others, c)
		}
	}
	if m, ok := dedup.Best(fp, others); ok {
		return m.ArticleID, ReasonNearDuplicate, m.Similarity, nil
	}
	return 0, "", 0, nil
}
