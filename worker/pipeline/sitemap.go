package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/robots"
	"github.com/wiresift/wiresift/worker/sitemap"
	"github.com/wiresift/wiresift/worker/store"
)

// A source whose document is a sitemap is polled like a feed: its page URLs
// become items, so unseen ones go through the same fetch, extract, dedup and
// store path. Only how the items are found differs, and that lives here.

// maxPollChildren bounds the child sitemaps one poll of an index reads.
const maxPollChildren = 10

// lastmodSlack widens "changed since the last poll", so that a server clock
// a little behind ours loses no child (the items it repeats are skipped).
const lastmodSlack = time.Hour

// sitemapFeed turns a fetched sitemap into a feed document. For an index a
// poll reads the children whose lastmod changed since the last poll; a
// backfill reads the newest child here and the rest in walkSitemap.
func (p *Pipeline) sitemapFeed(ctx context.Context, f store.Feed, resp *fetch.Response, m mode) (*feed.Feed, error) {
	doc, err := p.readSitemap(resp.Body, resp.URL)
	if err != nil {
		return nil, err
	}
	entries := doc.Entries
	if doc.Kind == sitemap.KindIndex {
		children := pollChildren(doc.Entries, f.LastPollAt)
		if m.history != nil {
			children = backfillChildren(doc.Entries, *m.history)
			if len(children) > 1 {
				children = children[:1]
			}
		}
		if entries, err = p.childEntries(ctx, f, children); err != nil {
			return nil, err
		}
	}
	return &feed.Feed{Items: p.sitemapItems(ctx, f, entries)}, nil
}

// walkSitemap ingests, one child at a time, the children of a backfilled
// index after the newest (which sitemapFeed read): newest first, skipping
// children last changed before -since, at most -max-pages documents in all
// (the index counted). Stored items are skipped, so a rerun resumes.
func (p *Pipeline) walkSitemap(ctx context.Context, stop <-chan struct{}, f store.Feed, resp *fetch.Response,
	res *store.PollResult, rep *FeedReport, m mode) {
	doc, err := p.readSitemap(resp.Body, resp.URL)
	if err != nil || doc.Kind != sitemap.KindIndex {
		return
	}
	children := backfillChildren(doc.Entries, *m.history)
	maxPages := m.history.MaxPages
	if maxPages <= 0 {
		maxPages = DefaultMaxPages
	}
	read := 2 // the index and its newest child
	for _, c := range children[min(1, len(children)):] {
		if stopped(stop) || ctx.Err() != nil || read >= maxPages {
			break
		}
		read++
		entries, err := p.childEntries(ctx, f, []sitemap.Entry{c})
		if err != nil {
			continue // logged; one broken child does not end the walk
		}
		rep.addPage(p.ingestPage(ctx, stop, f, &feed.Feed{Items: p.sitemapItems(ctx, f, entries)}, res, m))
	}
	p.log.Info("sitemap index walked", "source", f.URL, "children", len(children), "documents_read", read)
}

// readSitemap parses a sitemap body and says once per source what the
// protocol made it skip.
func (p *Pipeline) readSitemap(body []byte, from string) (*sitemap.Doc, error) {
	doc, err := sitemap.Parse(bytes.NewReader(body), from)
	if err != nil {
		return nil, err
	}
	if doc.OffHost > 0 {
		if _, said := p.sitemapNotes.LoadOrStore("offhost "+from, true); !said {
			p.log.Warn("sitemap lists URLs on other hosts; ignored, as the sitemap protocol requires",
				"sitemap", from, "ignored", doc.OffHost, "first", doc.OffHostURL)
		}
	}
	if doc.Truncated {
		p.log.Warn("sitemap lists more than 50,000 URLs, the protocol's limit; read the first 50,000", "sitemap", from)
	}
	return doc, nil
}

// childEntries fetches child sitemaps and returns their URLs. A nested
// index is not followed (the protocol allows none). It fails only when
// every child failed.
func (p *Pipeline) childEntries(ctx context.Context, f store.Feed, children []sitemap.Entry) ([]sitemap.Entry, error) {
	var out []sitemap.Entry
	var firstErr error
	failed := 0
	for _, c := range children {
		resp, err := p.cfg.Fetcher.Get(ctx, fetch.Request{URL: c.Loc, Kind: fetch.KindSitemap})
		var doc *sitemap.Doc
		if err == nil {
			doc, err = p.readSitemap(resp.Body, resp.URL)
		}
		if err == nil && doc.Kind == sitemap.KindIndex {
			err = fmt.Errorf("sitemap: %s is an index inside an index (not followed)", c.Loc)
		}
		if err != nil {
			failed++
			firstErr = firstOf(firstErr, err)
			p.log.Warn("child sitemap failed", "source", f.URL, "sitemap", c.Loc, "err", err)
			continue
		}
		out = append(out, doc.Entries...)
	}
	if failed > 0 && failed == len(children) {
		return nil, fmt.Errorf("every child sitemap of %s failed, first: %w", f.URL, firstErr)
	}
	return out, nil
}

func firstOf(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// sitemapItems makes feed items of sitemap entries that robots.txt lets us
// fetch: the URL is the item's identity, and the news: title and date (else
// lastmod) stand in for the feed's. The news: title, date and language are
// also stated over the page's (feed.Item.Stated); lastmod is not, as it
// dates a change, not the story.
func (p *Pipeline) sitemapItems(ctx context.Context, f store.Feed, entries []sitemap.Entry) []feed.Item {
	items := make([]feed.Item, 0, len(entries))
	blocked := 0
	for _, e := range entries {
		if !p.robotsAllow(ctx, f, e.Loc) {
			blocked++
			continue
		}
		it := feed.Item{GUID: e.Loc, Link: e.Loc, Published: e.Date()}
		if e.News != nil {
			it.Title = e.News.Title
			it.Stated = &feed.Stated{Title: e.News.Title, Language: e.News.Language, Published: e.News.Published}
		}
		items = append(items, it)
	}
	if blocked > 0 {
		p.log.Info("sitemap URLs disallowed by robots.txt, skipped", "source", f.URL, "skipped", blocked)
	}
	return items
}

// robotsAllow asks the page's robots.txt, unless the source is one the user
// said is theirs (-robots-off).
func (p *Pipeline) robotsAllow(ctx context.Context, f store.Feed, page string) bool {
	if p.cfg.RobotsOff != nil {
		if u, err := url.Parse(f.URL); err == nil && p.cfg.RobotsOff(u.Hostname()) {
			return true
		}
	}
	rules, err := p.robots.Rules(ctx, page)
	return err == nil && rules.URLAllowed(page)
}

// robotsGetter fetches robots.txt through the pipeline's fetcher, so it gets
// the same guard, limits and per-host politeness as any request.
func robotsGetter(fe Fetcher) robots.Getter {
	return func(ctx context.Context, u string) (int, []byte, error) {
		resp, err := fe.Get(ctx, fetch.Request{URL: u, Kind: fetch.KindRobots})
		var se *fetch.StatusError
		switch {
		case errors.As(err, &se):
			return se.Code, nil, nil
		case err != nil:
			return 0, nil, err
		}
		return resp.Status, resp.Body, nil
	}
}

// pollChildren picks the children a poll reads: those whose lastmod is
// after the last poll (less lastmodSlack), newest first. A first poll, or
// an index that dates none of its children, reads the newest (else the
// first listed) only: the rest is backfill's work.
func pollChildren(children []sitemap.Entry, lastPoll time.Time) []sitemap.Entry {
	sorted := newestFirst(children)
	var out []sitemap.Entry
	if !lastPoll.IsZero() {
		for _, c := range sorted {
			if c.LastMod != nil && c.LastMod.After(lastPoll.Add(-lastmodSlack)) && len(out) < maxPollChildren {
				out = append(out, c)
			}
		}
		return out
	}
	if len(sorted) > 0 {
		out = sorted[:1]
	}
	return out
}

// backfillChildren is every child newest first, less those last changed
// before h.Since (their URLs are all older).
func backfillChildren(children []sitemap.Entry, h History) []sitemap.Entry {
	var out []sitemap.Entry
	for _, c := range newestFirst(children) {
		if !h.Since.IsZero() && c.LastMod != nil && c.LastMod.Before(h.Since) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// newestFirst sorts by lastmod, newest first; undated children keep their
// listed order after the dated ones.
func newestFirst(children []sitemap.Entry) []sitemap.Entry {
	s := append([]sitemap.Entry(nil), children...)
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].LastMod, s[j].LastMod
		return a != nil && (b == nil || a.After(*b))
	})
	return s
}

// sourceKind is how a source's own document is fetched: a URL ending in
// .gz is a compressed sitemap (no feed is served that way).
func sourceKind(u string) fetch.Kind {
	if !containsFold(u, ".gz") {
		return fetch.KindFeed // most URLs: no parse needed
	}
	if pu, err := url.Parse(u); err == nil && strings.HasSuffix(strings.ToLower(pu.Path), ".gz") {
		return fetch.KindSitemap
	}
	return fetch.KindFeed
}

// containsFold reports whether s holds sub, ASCII case ignored.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
