package policy

import (
	"net/url"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/textnorm"
	"github.com/wiresift/wiresift/worker/urlnorm"
)

// MinHashWords is the shortest text whose exact hash is trusted as identity:
// below it, two different items with the same stub ("Read the full story")
// would fold into one article and lose one of them.
const MinHashWords = 15

// Keys are everything Decide looks a copy up by.
type Keys struct {
	FeedID  int64
	ItemKey string // identity within the feed (feed.ItemKey); "" skips the item layer
	// URL is the normalised address the text's page was fetched from (after
	// redirects), or the item's link when no page was used: a fact about
	// this copy, and the URL identity it is stored under.
	URL string
	// ClaimedURL is a canonical link the page declared for another address:
	// a claim, which folds only when the texts bear it out.
	ClaimedURL string
	Hash       string // TextKeys' content hash; "" for a text too short to trust
	Print      dedup.Fingerprint
}

// TextKeys normalises an article's text and derives its exact and
// near-duplicate keys from it, folding it once for both.
func TextKeys(text string) (normal, hash string, fp dedup.Fingerprint) {
	normal = textnorm.Normalize(text)
	folded := textnorm.Fold(normal)
	if textnorm.AtLeastWords(normal, MinHashWords) {
		hash = folded.Hash()
	}
	return normal, hash, dedup.MakeFolded(folded)
}

// URLKeys are the URL keys of a page fetched from fetched that declared
// declared as its canonical URL: its own normalised address, and the
// declared one as a claim when it names another address. A declared URL
// that points at a site's front page (a common template mistake) is no
// claim at all.
func URLKeys(fetched, declared string) (own, claimed string) {
	own, _ = urlnorm.Canonical(fetched)
	if declared == "" {
		return own, ""
	}
	u, err := url.Parse(declared)
	if err != nil || u.Host == "" || (u.Path == "" || u.Path == "/") && u.RawQuery == "" {
		return own, ""
	}
	c, err := urlnorm.Canonical(declared)
	if err != nil || c == own {
		return own, ""
	}
	return own, c
}

// LinkKey is the URL key of an item whose page was not used: its link, as
// the feed gave it.
func LinkKey(link string) string {
	c, _ := urlnorm.Canonical(link)
	return c
}
