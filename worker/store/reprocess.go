package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
)

// ReprocessTx is what Redecide needs from a backend transaction: the ingest
// look-ups, plus the writes of a reprocess. Backends serialise it against
// ingests of possibly-equal stories the same way as Ingest.
type ReprocessTx interface {
	Tx
	// UpdateArticle replaces an article's text, metadata and fingerprint; its
	// sources and first-seen time stay. A nil RawHTML keeps the stored page.
	UpdateArticle(ctx context.Context, id int64, a ArticleData, fp dedup.Fingerprint) error
	// MergeArticle moves every source of from onto into, relabelling from's
	// first sighting with reason and similarity, keeps the earlier first-seen
	// time, and deletes from. The moved sources never represented into.
	MergeArticle(ctx context.Context, from, into int64, reason policy.Reason, similarity float64) error
}

// Reprocessed says what Redecide did with one article.
type Reprocessed struct {
	// Changed: the re-extracted text differs from the stored one.
	Changed bool
	// MergedInto, when not 0, is the article this one turned out to copy: its
	// sources moved there and it was deleted.
	MergedInto int64
	Reason     policy.Reason // why it was merged
	Similarity float64
	// Gone: the article no longer exists (merged away earlier in this run).
	Gone bool
}

// Redecide writes a re-extracted article (a, with fingerprint fp) back over
// article id, in one transaction. If the new text or URL now identifies
// another stored article (same canonical URL, same hash, or a near-duplicate
// text), the two are one story that the old extraction kept apart: id is
// merged into the other. Otherwise id gets the new text and metadata. The
// look-ups are the ingest decision's (policy.Decide), with id excluded.
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
	c := policy.Copy{
		Keys: policy.Keys{URL: a.CanonicalURL, ClaimedURL: a.ClaimedURL, Hash: a.ContentHash, Print: fp},
		Text: a.Text,
	}
	d, err := policy.Decide(ctx, tx, c, id)
	if err != nil {
		return Reprocessed{}, fmt.Errorf("look up copies of article %d: %w", id, err)
	}
	if d.ArticleID != 0 {
		if err := tx.MergeArticle(ctx, id, d.ArticleID, d.Reason, d.Similarity); err != nil {
			return Reprocessed{}, fmt.Errorf("merge article %d into %d: %w", id, d.ArticleID, err)
		}
		return Reprocessed{Changed: old != a.Text, MergedInto: d.ArticleID, Reason: d.Reason, Similarity: d.Similarity}, nil
	}
	if d.URLTaken {
		a.CanonicalURL = "" // keeps the stored one
	}
	if err := tx.UpdateArticle(ctx, id, a, fp); err != nil {
		return Reprocessed{}, fmt.Errorf("update article %d: %w", id, err)
	}
	return Reprocessed{Changed: old != a.Text}, nil
}
