// Package article makes an article from a feed item: it fetches the item's
// page, cleans it (charset, extraction, normalisation), chooses between the
// page's text and the feed's own content, and derives the keys the
// deduplication policy looks the article up by. Poll, backfill, reprocess
// and `wiresift extract` all make articles here, so each shows what the
// others store.
package article

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/wiresift/wiresift/worker/charset"
	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/htmlparse"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/textnorm"
)

// Fetcher is what making an article needs from the HTTP client (fetch.Client).
type Fetcher interface {
	Get(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Maker makes articles from feed items. Fetcher is required.
type Maker struct {
	Fetcher Fetcher
	Rules   *extract.Rules
	// KeepRaw keeps each fetched page, compressed, for `wiresift reprocess`.
	KeepRaw bool
	// Furniture, when set, learns each host's repeated paragraphs from
	// the pages made and drops them from the page text (nil: off).
	Furniture *Furniture
	Logger    *slog.Logger
	// Admit, when set, holds each parse of a page or of an item's content
	// to a memory budget: it waits for room for a tree of nodes nodes from
	// a document of size bytes, which the parse grows as it builds
	// (htmlparse.Limits.Within).
	Admit func(ctx context.Context, nodes, size int) (htmlparse.Room, error)
}

// admit is Admit bound to ctx, nil when no budget is set.
func (m *Maker) admit(ctx context.Context) htmlparse.Admit {
	if m.Admit == nil {
		return nil
	}
	return func(nodes, size int) (htmlparse.Room, error) { return m.Admit(ctx, nodes, size) }
}

// Make fetches and cleans an item's page and fingerprints the text; bytes is
// the size of the page fetched. When the page cannot be used it falls back
// to the feed's own content and records why.
func (m *Maker) Make(ctx context.Context, it feed.Item) (art store.ArticleData, fp dedup.Fingerprint, bytes int) {
	feedText := feedContentText(it, m.admit(ctx))
	art = store.ArticleData{
		URL:          it.Link,
		CanonicalURL: policy.LinkKey(it.Link),
		Title:        it.Title,
		Author:       it.Author,
		Published:    it.Published,
		Text:         feedText,
		TextSource:   store.TextFromFeed,
	}
	if it.Link == "" {
		art.FetchError = "item has no link"
		applyStated(&art, it.Stated)
		art, fp := Finish(art)
		return art, fp, 0
	}
	page, resp, raw, err := m.fetchPage(ctx, it.Link)
	if err != nil {
		art.FetchError = err.Error()
		if errors.Is(err, fetch.ErrForbiddenAddress) {
			art.FetchError = "refused: " + err.Error()
		}
		if m.Logger != nil {
			m.Logger.Warn("article page not used; storing the feed's content", "url", it.Link, "err", err)
		}
		applyStated(&art, it.Stated)
		art, fp := Finish(art)
		return art, fp, 0
	}
	// Everything about the article now comes from the page, so that its
	// URL, title, author, date and text describe one and the same page; the
	// item's values stand in only where the page says nothing.
	art.URL = resp.URL
	if own, claimed := policy.URLKeys(resp.URL, page.CanonicalURL); own != "" {
		art.CanonicalURL, art.ClaimedURL = own, claimed
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
	applyStated(&art, it.Stated)
	// The page counts itself: reprocess, which observes every page
	// first, sees the same counts.
	m.Furniture.Observe(resp.URL, page.Text)
	art.Text, art.TextSource = chooseText(m.Furniture.Filter(resp.URL, page.Text), feedText)
	art.RawHTML = raw
	art, fp = Finish(art)
	return art, fp, len(resp.Body)
}

// applyStated puts what the source states of the page (a news sitemap's
// title, date and language) over the page's own, field by field: the
// publisher says it of this very URL, and says it outside the page's
// template, where titles carry the site's name and dates go missing.
func applyStated(art *store.ArticleData, st *feed.Stated) {
	if st == nil {
		return
	}
	if t := strings.TrimSpace(st.Title); t != "" {
		art.Title = t
	}
	if st.Published != nil {
		art.Published = st.Published
	}
	if l := strings.TrimSpace(st.Language); l != "" {
		art.Language = l
	}
}

// fetchPage GETs an article page and extracts it. raw is the page
// compressed for reprocess, when KeepRaw asks for it.
func (m *Maker) fetchPage(ctx context.Context, link string) (page *extract.Result, resp *fetch.Response, raw []byte, err error) {
	resp, err = m.Fetcher.Get(ctx, fetch.Request{URL: link, Kind: fetch.KindPage})
	if err != nil {
		return nil, nil, nil, err
	}
	// Keep the decoded page: reprocess then needs no HTTP header to read it.
	if resp.Body, err = charset.Decode(resp.Body, resp.ContentType); err != nil {
		return nil, nil, nil, err
	}
	resp.ContentType = "text/html; charset=utf-8"
	if page, err = cleanUTF8(resp.Body, resp.URL, m.Rules, m.admit(ctx)); err != nil {
		return nil, nil, nil, err
	}
	if m.KeepRaw {
		raw = Compress(resp.Body)
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

// cleanUTF8 is CleanPage on a page already decoded by charset.Decode;
// admit, when set, holds its parse to the caller's memory budget.
func cleanUTF8(utf8Body []byte, pageURL string, rules *extract.Rules, admit htmlparse.Admit) (*extract.Result, error) {
	var u *url.URL
	if pageURL != "" {
		var err error
		if u, err = url.Parse(pageURL); err != nil {
			return nil, fmt.Errorf("page URL %q: %w", pageURL, err)
		}
	}
	// charset.Decode, the page's way here, leaves no invalid UTF-8 or NUL.
	page, err := extract.Extract(utf8Body, extract.Options{URL: u, Rules: rules, Admit: admit, ValidUTF8: true})
	if err != nil {
		return nil, err
	}
	page.Text = textnorm.Normalize(page.Text)
	page.Title = textnorm.Normalize(page.Title)
	return page, nil
}

// Finish normalises an article's text and title and derives its text keys
// (policy.TextKeys): the content hash and the fingerprint.
func Finish(a store.ArticleData) (store.ArticleData, dedup.Fingerprint) {
	var fp dedup.Fingerprint
	a.Text, a.ContentHash, fp = policy.TextKeys(a.Text)
	a.Title = textnorm.Normalize(a.Title)
	if a.Published != nil {
		t := a.Published.UTC().Truncate(time.Second)
		a.Published = &t
	}
	return a, fp
}
