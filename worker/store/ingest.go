package store

import (
	"context"
	"fmt"

	"github.com/wiresift/wiresift/worker/dedup"
)

// Tx is the part of a backend transaction that Decide needs. Backends open a
// transaction that serialises ingests of possibly-equal stories (SQLite: one
// writer; PostgreSQL: an advisory lock), wrap it in a Tx and call Decide, so
// that the dedup policy is written once for both stores.
type Tx interface {
	SourceExists(ctx context.Context, feedID int64, itemKey string) (bool, error)
	ArticleByURL(ctx context.Context, canonicalURL string) (id int64, ok bool, err error)
	ArticleByHash(ctx context.Context, contentHash string) (id int64, ok bool, err error)
	// Candidates returns stored articles sharing at least one key, most shared first.
	Candidates(ctx context.Context, keys []uint64, limit int) ([]dedup.Candidate, error)
	InsertArticle(ctx context.Context, s Sighting) (id int64, err error)
	AddSource(ctx context.Context, articleID int64, s Sighting, reason string, similarity float64) error
	// ReplaceText swaps in a more complete copy's text, hash and fingerprint.
	ReplaceText(ctx context.Context, articleID int64, s Sighting) error
}

// maxCandidates bounds the verification work per ingest whatever the archive size.
const maxCandidates = 64

// Decide runs the dedup layers cheapest first inside one transaction and
// writes the result: an already-seen item writes nothing; a copy becomes a
// source of the article it duplicates; anything else becomes a new article.
func Decide(ctx context.Context, tx Tx, s Sighting) (Outcome, error) {
	seen, err := tx.SourceExists(ctx, s.FeedID, s.ItemKey)
	if err != nil {
		return Outcome{}, fmt.Errorf("check item %s: %w", s.ItemURL, err)
	}
	if seen {
		return Outcome{AlreadySeen: true}, nil
	}
	if s.Article.CanonicalURL != "" {
		id, ok, err := tx.ArticleByURL(ctx, s.Article.CanonicalURL)
		if err != nil {
			return Outcome{}, fmt.Errorf("look up %s: %w", s.Article.CanonicalURL, err)
		}
		if ok {
			return addSource(ctx, tx, id, s, ReasonSameURL, 1)
		}
	}
	if s.Article.ContentHash != "" {
		id, ok, err := tx.ArticleByHash(ctx, s.Article.ContentHash)
		if err != nil {
			return Outcome{}, fmt.Errorf("look up hash: %w", err)
		}
		if ok {
			return addSource(ctx, tx, id, s, ReasonSameHash, 1)
		}
	}
	if len(s.Print.Keys) > 0 {
		cands, err := tx.Candidates(ctx, s.Print.Keys, maxCandidates)
		if err != nil {
			return Outcome{}, fmt.Errorf("near-duplicate lookup: %w", err)
		}
		if m, ok := dedup.Best(s.Print, cands); ok {
			out, err := addSource(ctx, tx, m.ArticleID, s, ReasonNearDuplicate, m.Similarity)
			if err != nil || !m.Upgrade {
				return out, err
			}
			if err := tx.ReplaceText(ctx, m.ArticleID, s); err != nil {
				return Outcome{}, fmt.Errorf("upgrade article %d: %w", m.ArticleID, err)
			}
			out.Upgraded = true
			return out, nil
		}
	}
	id, err := tx.InsertArticle(ctx, s)
	if err != nil {
		return Outcome{}, fmt.Errorf("insert article %s: %w", s.ItemURL, err)
	}
	return addSource(ctx, tx, id, s, ReasonFirst, 1)
}

func addSource(ctx context.Context, tx Tx, id int64, s Sighting, reason string, sim float64) (Outcome, error) {
	if err := tx.AddSource(ctx, id, s, reason, sim); err != nil {
		return Outcome{}, fmt.Errorf("add source %s to article %d: %w", s.ItemURL, id, err)
	}
	return Outcome{ArticleID: id, Reason: reason, Similarity: sim}, nil
}
