package store

import (
	"context"
	"fmt"

	"github.com/wiresift/wiresift/worker/dedup/policy"
)

// Tx is the part of a backend transaction that Decide needs: the policy's
// index, and the writes. Backends open a transaction that serialises ingests
// of possibly-equal stories (SQLite: one writer; PostgreSQL: advisory locks),
// wrap it in a Tx and call Decide, so that the dedup policy (package policy)
// is applied the same way by both stores.
type Tx interface {
	policy.Index
	InsertArticle(ctx context.Context, s Sighting) (id int64, err error)
	// AddSource records a sighting of article articleID; represents marks
	// it as the sighting whose page the article's text and metadata are.
	AddSource(ctx context.Context, articleID int64, s Sighting, reason policy.Reason, similarity float64, represents bool) error
	// Represent makes s's page the article's: its text, hash, fingerprint,
	// URLs, title, author, site, language, date and kept page. The sighting
	// that represented it so far stays, marked as replaced at s.SeenAt.
	Represent(ctx context.Context, articleID int64, s Sighting) error
}

// copyOf is the policy's view of a sighting.
func copyOf(s Sighting) policy.Copy {
	return policy.Copy{
		Keys: policy.Keys{
			FeedID: s.FeedID, ItemKey: s.ItemKey,
			URL: s.Article.CanonicalURL, ClaimedURL: s.Article.ClaimedURL,
			Hash: s.Article.ContentHash, Print: s.Print,
		},
		Text: s.Article.Text,
	}
}

// Decide asks the policy where a sighting belongs and writes the answer in
// the caller's transaction: an already-seen item writes nothing; a copy
// becomes a source of the article it duplicates (and its page the
// article's, when it is the fuller version); anything else is a new article.
func Decide(ctx context.Context, tx Tx, s Sighting) (Outcome, error) {
	d, err := policy.Decide(ctx, tx, copyOf(s), 0)
	if err != nil {
		return Outcome{}, fmt.Errorf("item %s: %w", s.ItemURL, err)
	}
	switch {
	case d.AlreadySeen:
		return Outcome{AlreadySeen: true}, nil
	case d.ArticleID == 0:
		if d.URLTaken {
			s.Article.CanonicalURL = ""
		}
		id, err := tx.InsertArticle(ctx, s)
		if err != nil {
			return Outcome{}, fmt.Errorf("insert article %s: %w", s.ItemURL, err)
		}
		return addSource(ctx, tx, id, s, d, true)
	case d.Represent:
		if err := tx.Represent(ctx, d.ArticleID, s); err != nil {
			return Outcome{}, fmt.Errorf("upgrade article %d: %w", d.ArticleID, err)
		}
		out, err := addSource(ctx, tx, d.ArticleID, s, d, true)
		out.Upgraded = true
		return out, err
	}
	return addSource(ctx, tx, d.ArticleID, s, d, false)
}

func addSource(ctx context.Context, tx Tx, id int64, s Sighting, d policy.Decision, represents bool) (Outcome, error) {
	if err := tx.AddSource(ctx, id, s, d.Reason, d.Similarity, represents); err != nil {
		return Outcome{}, fmt.Errorf("add source %s to article %d: %w", s.ItemURL, id, err)
	}
	return Outcome{ArticleID: id, Reason: d.Reason, Similarity: d.Similarity}, nil
}
