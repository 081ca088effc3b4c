package article

import (
	"errors"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/store"
)

// Reextract is Make's cleaning step run on a stored page instead of a
// fetched one. What the page does not say (title, author, date) keeps its
// stored value, as at ingest it fell back to the feed item's. The feed's own
// content is not kept, so a stored feed text is what the new page text is
// weighed against, and a page that now yields nothing leaves the text as is.
// fur, when not nil, has observed the host's stored pages (this one too) and
// drops their furniture from the page text.
func Reextract(stored store.Article, body []byte, pageURL string, rules *extract.Rules, fur *Furniture) (store.ArticleData, dedup.Fingerprint, error) {
	page, err := CleanPage(body, "text/html; charset=utf-8", pageURL, rules)
	if errors.Is(err, extract.ErrNoContent) {
		page, err = &extract.Result{}, nil
	}
	if err != nil {
		return store.ArticleData{}, dedup.Fingerprint{}, err
	}
	page.Text = fur.Filter(pageURL, page.Text)
	art := store.ArticleData{
		URL:        stored.URL,
		Title:      firstNonEmpty(page.Title, stored.Title),
		Author:     firstNonEmpty(page.Author, stored.Author),
		SiteName:   page.SiteName,
		Language:   page.Language,
		Published:  stored.Published,
		Text:       page.Text,
		TextSource: store.TextFromPage,
		FetchError: stored.FetchError,
	}
	art.CanonicalURL, art.ClaimedURL = policy.URLKeys(pageURL, page.CanonicalURL)
	if page.Published != nil {
		art.Published = page.Published
	}
	switch {
	case stored.TextSource == store.TextFromFeed:
		art.Text, art.TextSource = chooseText(page.Text, stored.Text)
	case len(page.Text) == 0:
		art.Text, art.TextSource = stored.Text, stored.TextSource
	}
	art, fp := Finish(art)
	return art, fp, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
