package policy

import (
	"context"
	"fmt"

	"github.com/wiresift/wiresift/worker/dedup"
)

// Index is what Decide reads from the archive. Each store implements it on
// the transaction that also writes the decision, and serialises that
// transaction against ingests of possibly-equal stories, so the look-ups
// and the writes see one state.
type Index interface {
	SourceExists(ctx context.Context, feedID int64, itemKey string) (bool, error)
	// ArticleByURL is the article stored under a URL key, if any.
	ArticleByURL(ctx context.Context, urlKey string) (Stored, bool, error)
	ArticleByHash(ctx context.Context, hash string) (id int64, ok bool, err error)
	// Candidates returns stored articles sharing at least one key, most shared first.
	Candidates(ctx context.Context, keys []uint64, limit int) ([]dedup.Candidate, error)
	// StoredText is an article's current text.
	StoredText(ctx context.Context, id int64) (string, error)
}

// Stored is an article found by its URL key.
type Stored struct {
	ID     int64
	URL    string // the address its text's page came from (articles.url)
	URLKey string // the URL key it is stored under (articles.canonical_url)
	Sketch []byte
	Words  int
}

// fact reports whether the article's URL key is its own address. Archives
// written before claims were told apart stored a page's declared canonical
// URL as its key; such a key is a claim like any other.
func (s Stored) fact() bool { return LinkKey(s.URL) == s.URLKey }

// Copy is one copy of a story to decide on: its keys and its text.
type Copy struct {
	Keys
	Text string // normalised, as TextKeys returns it
}

// Decision is what Decide makes of a copy.
type Decision struct {
	// AlreadySeen: the feed already had this item; nothing is to be written.
	AlreadySeen bool
	// ArticleID is the stored article the copy is another sighting of; 0
	// means the copy is a new article.
	ArticleID  int64
	Reason     Reason
	Similarity float64
	// Represent: the copy is a fuller version of the article's story, so its
	// page (text, URL, title, site, author, date) becomes the article's.
	Represent bool
	// URLTaken: a stored claim (older archives) holds the copy's URL key, so
	// the copy's page, if it becomes an article's, goes without one.
	URLTaken bool
}

// maxCandidates bounds the verification work per copy whatever the archive size.
const maxCandidates = 64

// Decide runs the layers cheapest first and says where the copy belongs:
//
//  1. item: the feed already had the item (nothing to do);
//  2. URL: an article stored under the copy's own address is the same page;
//     one stored there under a claim (older archives) only if the texts agree;
//  3. claim: the article at the copy's declared canonical URL, if the texts agree;
//  4. hash: an article with the same normalised text;
//  5. near-duplicate: the best verified candidate by dedup's measure;
//
// and otherwise a new article. Wherever a copy's text was compared with the
// article's, the copy represents the story from then on when it is a fuller
// version of it (dedup.Fuller). exclude (reprocess: the article being
// redecided) is never the answer.
func Decide(ctx context.Context, idx Index, c Copy, exclude int64) (Decision, error) {
	d, urlTaken, err := decide(ctx, idx, c, exclude)
	d.URLTaken = urlTaken && !d.AlreadySeen
	return d, err
}

// decide is Decide; urlTaken reports that a stored claim holds the copy's
// own URL key, whatever the copy turned out to be.
func decide(ctx context.Context, idx Index, c Copy, exclude int64) (d Decision, urlTaken bool, err error) {
	if c.ItemKey != "" {
		seen, err := idx.SourceExists(ctx, c.FeedID, c.ItemKey)
		if err != nil {
			return Decision{}, false, fmt.Errorf("check item: %w", err)
		}
		if seen {
			return Decision{AlreadySeen: true}, false, nil
		}
	}
	if c.URL != "" {
		st, ok, err := idx.ArticleByURL(ctx, c.URL)
		if err != nil {
			return Decision{}, false, fmt.Errorf("look up %s: %w", c.URL, err)
		}
		if ok && st.ID != exclude {
			// The same page folds whether or not the texts verify; a stored
			// claim only when they do.
			if m, ok := one(c.Print, st); ok || st.fact() {
				d, err := fold(ctx, idx, c, st.ID, SameURL, m, ok)
				return d, urlTaken, err
			}
			urlTaken = true
		}
	}
	if c.ClaimedURL != "" {
		st, ok, err := idx.ArticleByURL(ctx, c.ClaimedURL)
		if err != nil {
			return Decision{}, false, fmt.Errorf("look up %s: %w", c.ClaimedURL, err)
		}
		if ok && st.ID != exclude {
			if m, ok := one(c.Print, st); ok {
				d, err := fold(ctx, idx, c, st.ID, SameURL, m, true)
				return d, urlTaken, err
			}
		}
	}
	if c.Hash != "" {
		id, ok, err := idx.ArticleByHash(ctx, c.Hash)
		if err != nil {
			return Decision{}, false, fmt.Errorf("look up hash: %w", err)
		}
		if ok && id != exclude {
			return Decision{ArticleID: id, Reason: SameHash, Similarity: 1}, urlTaken, nil
		}
	}
	if len(c.Print.Keys) > 0 {
		limit := maxCandidates
		if exclude != 0 {
			limit++ // the article's own old keys may bring it back
		}
		cands, err := idx.Candidates(ctx, c.Print.Keys, limit)
		if err != nil {
			return Decision{}, false, fmt.Errorf("near-duplicate lookup: %w", err)
		}
		others := cands[:0]
		for _, cd := range cands {
			if cd.ArticleID != exclude {
				others = append(others, cd)
			}
		}
		if m, ok := dedup.Best(c.Print, others); ok {
			d, err := fold(ctx, idx, c, m.ArticleID, NearDuplicate, m, true)
			return d, urlTaken, err
		}
	}
	return Decision{Reason: First, Similarity: 1}, urlTaken, nil
}

// one verifies the copy against a single stored article.
func one(fp dedup.Fingerprint, st Stored) (dedup.Match, bool) {
	return dedup.Best(fp, []dedup.Candidate{{ArticleID: st.ID, Sketch: st.Sketch, Words: st.Words}})
}

// fold files the copy under article id. When its text was verified as the
// same story (verified) and measures as the longer version, the two texts
// decide whether it represents the story from now on. A same-address fold
// whose texts do not verify keeps similarity 1: it is the same page.
func fold(ctx context.Context, idx Index, c Copy, id int64, r Reason, m dedup.Match, verified bool) (Decision, error) {
	d := Decision{ArticleID: id, Reason: r, Similarity: 1}
	if !verified {
		return d, nil
	}
	d.Similarity = m.Similarity
	if !m.Upgrade {
		return d, nil
	}
	old, err := idx.StoredText(ctx, id)
	if err != nil {
		return Decision{}, fmt.Errorf("read article %d: %w", id, err)
	}
	d.Represent = dedup.Fuller(old, c.Text)
	return d, nil
}
