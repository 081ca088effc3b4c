package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/wiresift/wiresift/worker/charset"
	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/textnorm"
	"github.com/wiresift/wiresift/worker/urlnorm"
)

// minHashWords is the shortest text whose exact hash is trusted as identity:
// below it, two different items with the same stub ("Read the full story")
// would fold into one article and lose one of them.
const minHashWords = 15

// ingestItem builds the article for one new feed item and stores it.
//
// It holds a page slot from the fetch until the store has the article:
// parsing is where the CPU and memory go, and an article waiting for the
// single SQLite writer holds its text and raw page, so bounding the whole
// path bounds both (an unbounded fan-out holds every item of every feed in
// flight at once, and more of them the slower the writer gets).
func (p *Pipeline) ingestItem(ctx context.Context, f store.Feed, it keyedItem) ItemReport {
	rep := ItemReport{FeedURL: f.URL, URL: it.Link}
	select {
	case p.pages <- struct{}{}:
	case <-ctx.Done():
		rep.Err = ctx.Err()
		p.cfg.Events.ItemDone(rep)
		return rep
	}
	defer func() { <-p.pages }()
	start := p.now()
	art, fp, bytes := p.article(ctx, it)
	rep.Fetch, rep.Bytes = p.now().Sub(start), bytes
	rep.TextSource, rep.FetchError = art.TextSource, art.FetchError

	s := store.Sighting{
		FeedID: f.ID, FeedURL: f.URL, ItemKey: it.Key, ItemURL: it.Link,
		ItemTitle: it.Title, SeenAt: p.now(), Article: art,
		Print: fp,
	}
	out, err := p.cfg.Store.Ingest(ctx, s)
	switch {
	case err != nil:
		rep.Err = err
		p.log.Error("store item", "feed", f.URL, "url", it.Link, "err", err)
	case out.AlreadySeen:
	default:
		rep.Reason = out.Reason
		p.log.Debug("item stored", "feed", f.URL, "url", it.Link, "article", out.ArticleID,
			"reason", out.Reason, "similarity", out.Similarity, "text_source", art.TextSource)
	}
	p.cfg.Events.ItemDone(rep)
	return rep
}

// article fetches and cleans an item's page and fingerprints the text. When
// the page cannot be used it falls back to the feed's own content and records
// why.
func (p *Pipeline) article(ctx context.Context, it keyedItem) (store.ArticleData, dedup.Fingerprint, int) {
	feedText := feedContentText(it.Item, p.admitPage(ctx))
	art := store.ArticleData{
		URL:        it.Link,
		Title:      it.Title,
		Author:     it.Author,
		Published:  it.Published,
		Text:       feedText,
		TextSource: store.TextFromFeed,
	}
	if canon, err := urlnorm.Canonical(it.Link); err == nil {
		art.CanonicalURL = canon
	}
	if it.Link == "" {
		art.FetchError = "item has no link"
		art, fp := finish(art)
		return art, fp, 0
	}
	page, resp, raw, err := p.fetchPage(ctx, it.Link)
	if err != nil {
		art.FetchError = err.Error()
		if errors.Is(err, fetch.ErrForbiddenAddress) {
			art.FetchError = "refused: " + err.Error()
		}
		p.log.Warn("article page not used; storing the feed's content", "url", it.Link, "err", err)
		art, fp := finish(art)
		return art, fp, 0
	}
	art.URL = resp.URL
	if canon := canonicalOf(page.CanonicalURL, resp.URL); canon != "" {
		art.CanonicalURL = canon
	}
	if page.Title != "" {
		art.Title = page.Title
	}
	if page.Published != nil {
		art.Published = page.Published
	}
	if page.Author != "" {
		art.Author = page.Author
	}
	art.SiteName, art.Language = page.SiteName, page.Language
	art.Text, art.TextSource = chooseText(page.Text, feedText)
	art.RawHTML = raw
	art, fp := finish(art)
	return art, fp, len(resp.Body)
}

// fetchPage GETs an article page and extracts it; the caller holds a page
// slot. raw is the page compressed for reprocess, when KeepRaw asks for it.
func (p *Pipeline) fetchPage(ctx context.Context, link string) (page *extract.Result, resp *fetch.Response, raw []byte, err error) {
	resp, err = p.cfg.Fetcher.Get(ctx, fetch.Request{URL: link, Kind: fetch.KindPage})
	if err != nil {
		return nil, nil, nil, err
	}
	// Keep the decoded page: reprocess then needs no HTTP header to read it.
	if resp.Body, err = charset.Decode(resp.Body, resp.ContentType); err != nil {
		return nil, nil, nil, err
	}
	resp.ContentType = "text/html; charset=utf-8"
	if page, err = cleanUTF8(resp.Body, resp.URL, p.cfg.Rules, p.admitPage(ctx)); err != nil {
		return nil, nil, nil, err
	}
	if p.cfg.KeepRaw {
		raw = compress(resp.Body)
	}
	return page, resp, raw, nil
}

// CleanPage is ingest's page-cleaning step: charset decoding, extraction and
// text normalisation. `wiresift extract` calls it too, so that it shows
// exactly what ingest would store.
func CleanPage(body []byte, contentType, pageURL string, rules *extract.Rules) (*extract.Result, error) {
	utf8Body, err := charset.Decode(body, contentType)
	if err != nil {
		return nil, err
	}
	return cleanUTF8(utf8Body, pageURL, rules, nil)
}

// cleanUTF8 is CleanPage on a page already decoded to UTF-8; admit, when
// set, holds its parse to the pipeline's memory budget.
func cleanUTF8(utf8Body []byte, pageURL string, rules *extract.Rules, admit func(nodes, size int) (func(), error)) (*extract.Result, error) {
	var u *url.URL
	if pageURL != "" {
		var err error
		if u, err = url.Parse(pageURL); err != nil {
			return nil, fmt.Errorf("page URL %q: %w", pageURL, err)
		}
	}
	page, err := extract.Extract(utf8Body, extract.Options{URL: u, Rules: rules, Admit: admit})
	if err != nil {
		return nil, err
	}
	page.Text = textnorm.Normalize(page.Text)
	page.Title = textnorm.Normalize(page.Title)
	return page, nil
}

// canonicalOf picks the page's URL identity: its declared canonical URL,
// unless that points at a site's front page (a common template mistake that
// would fold every article of the site into one), else the fetched URL.
func canonicalOf(declared, fetched string) string {
	if declared != "" {
		if u, err := url.Parse(declared); err == nil && u.Host != "" && (u.Path != "" && u.Path != "/" || u.RawQuery != "") {
			if c, err := urlnorm.Canonical(declared); err == nil {
				return c
			}
		}
	}
	c, err := urlnorm.Canonical(fetched)
	if err != nil {
		return ""
	}
	return c
}

// finish normalises the text, derives its hash and fingerprints it for
// dedup. Both take the text's folded form, so it is folded once.
func finish(a store.ArticleData) (store.ArticleData, dedup.Fingerprint) {
	a.Text = textnorm.Normalize(a.Text)
	a.Title = textnorm.Normalize(a.Title)
	folded := textnorm.Fold(a.Text)
	if textnorm.CountWords(a.Text) >= minHashWords {
		a.ContentHash = folded.Hash()
	}
	if a.Published != nil {
		t := a.Published.UTC().Truncate(time.Second)
		a.Published = &t
	}
	return a, dedup.MakeFolded(folded)
}
