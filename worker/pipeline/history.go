package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/store"
)

// DefaultMaxPages bounds a feed's history walk when History.MaxPages is 0: a
// site posting ten items a day, ten a page, fills about 365 pages a year.
const DefaultMaxPages = 1000

// History bounds how far back a backfill follows a feed's older pages.
type History struct {
	// Since skips items published before it, and a page holding only such
	// items ends the walk. Zero: no limit.
	Since time.Time
	// MaxPages is the most feed documents read per feed, the current one
	// included (1: no history). 0: DefaultMaxPages.
	MaxPages int
}

// Why a history walk ended, as logged.
const (
	stopNoHistory   = "no history offered" // no paging links, and not a paged CMS
	stopEnd         = "end of history"     // the last page links no further back
	stopNotFound    = "page not found"     // ?paged=N past the last page: 404, 410 (any 4xx, or no feed, for a guessed ?paged)
	stopEmpty       = "empty page"
	stopRepeat      = "page repeats" // the same items as a page already read, or a link loop
	stopSince       = "older than -since"
	stopMaxPages    = "-max-pages reached"
	stopError       = "page failed"
	stopInterrupted = "interrupted"
)

// Paging styles.
const (
	pagingNone  = "none"
	pagingLinks = "rfc5005" // rel="next" or rel="prev-archive" (JSON Feed next_url)
	pagingQuery = "paged"   // WordPress ?paged=N
)

// walkHistory follows a backfilled feed's older pages after its current
// document (first) was ingested, ingesting each page's new items as it goes,
// until the history ends or a bound stops it. Items already stored are
// skipped by ingestFeed, so an interrupted walk, rerun, stores nothing twice.
func (p *Pipeline) walkHistory(ctx context.Context, stop <-chan struct{}, f store.Feed, first *feed.Feed,
	resp *fetch.Response, res *store.PollResult, rep *FeedReport, m mode) {
	maxPages := m.history.MaxPages
	if maxPages <= 0 {
		maxPages = DefaultMaxPages
	}
	style := pagingStyle(first, resp)
	cutoff := p.itemCutoff(f, m)
	pageKeys := map[string]bool{pageSignature(res.IdentityPolicy, first.Items): true}
	visited := map[string]bool{resp.URL: true}
	doc, pages, reason := first, 1, ""
	var err error
	for reason == "" {
		next := nextPageURL(style, doc, resp.URL, pages+1)
		switch {
		case stopped(stop) || ctx.Err() != nil:
			reason = stopInterrupted
		case next == "" && pages == 1:
			reason = stopNoHistory
		case next == "":
			reason = stopEnd
		case allBefore(doc.Items, cutoff):
			reason = stopSince
		case pages >= maxPages:
			reason = stopMaxPages
		case visited[next]:
			reason = stopRepeat
		}
		if reason != "" {
			break
		}
		visited[next] = true
		if doc, err = p.fetchHistoryPage(ctx, next); err != nil {
			reason = stopError
			if ctx.Err() != nil {
				reason, err = stopInterrupted, nil
			} else if notFound(err) || style == pagingQuery && notOffered(err) {
				reason, err = stopNotFound, nil
			}
			break
		}
		pages++
		sig := pageSignature(res.IdentityPolicy, doc.Items)
		switch {
		case len(doc.Items) == 0:
			reason = stopEmpty
		case pageKeys[sig]:
			reason = stopRepeat
		default:
			pageKeys[sig] = true
			rep.addPage(p.ingestPage(ctx, stop, f, doc, res, m))
		}
	}
	attrs := []any{"feed", f.URL, "paging", style, "pages", pages, "stop", reason,
		"items", rep.Items, "new", rep.NewArticles, "duplicates", rep.Duplicates}
	if err != nil {
		p.log.Warn("feed history walk stopped early", append(attrs, "err", err)...)
		return
	}
	p.log.Info("feed history walked", attrs...)
}

// ingestPage ingests one older page's new items under the identity policy
// already in force for the feed.
func (p *Pipeline) ingestPage(ctx context.Context, stop <-chan struct{}, f store.Feed, doc *feed.Feed,
	res *store.PollResult, m mode) FeedReport {
	var pageRep FeedReport
	f.IdentityPolicy = res.IdentityPolicy
	p.ingestFeed(ctx, stop, f, doc, res, &pageRep, m)
	if pageRep.Err != nil {
		p.log.Error("history page not ingested", "feed", f.URL, "err", pageRep.Err)
	}
	return pageRep
}

// fetchHistoryPage GETs and parses one older page of a feed. History pages
// are never conditional: each is read once per backfill.
func (p *Pipeline) fetchHistoryPage(ctx context.Context, pageURL string) (*feed.Feed, error) {
	resp, err := p.cfg.Fetcher.Get(ctx, fetch.Request{URL: pageURL, Kind: fetch.KindFeed})
	if err != nil {
		return nil, err
	}
	doc, err := p.feedParser(ctx).Parse(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		return nil, fmt.Errorf("history page %s: %w", pageURL, err)
	}
	return doc, nil
}

// itemCutoff is the publication time before which items are skipped (zero:
// none), the later of a backfill's -since and -first-poll-max-age. The max
// age counts from now on a feed's first poll. The back catalogue it skipped
// then is still in the feed on the next polls, where nothing marks it seen,
// so scheduled polls keep skipping items older than the max age before the
// previous poll; a backfill asks for history and does not.
func (p *Pipeline) itemCutoff(f store.Feed, m mode) time.Time {
	var cutoff time.Time
	switch age := p.cfg.FirstPollMaxAge; {
	case age <= 0:
	case f.LastPollAt.IsZero():
		cutoff = p.now().Add(-age)
	case !m.backfill:
		cutoff = f.LastPollAt.Add(-age)
	}
	if m.backfill && m.history.Since.After(cutoff) {
		cutoff = m.history.Since
	}
	return cutoff
}

// pagingStyle says how a feed offers its history. RFC 5005 links win when
// present. Otherwise ?paged=N is tried on feeds that look like WordPress
// (which answers it on every feed) or whose page is full, since a CMS cuts
// its feed at a round page size; a server that ignores the parameter returns
// the same page again, which ends the walk after one request.
func pagingStyle(doc *feed.Feed, resp *fetch.Response) string {
	switch {
	case doc.NextURL != "" || doc.PrevArchiveURL != "":
		return pagingLinks
	case looksLikeWordPress(resp.URL, resp.Body) || fullPage(len(doc.Items)):
		return pagingQuery
	}
	return pagingNone
}

// nextPageURL is the page to read after doc: its own link further back, or
// the feed URL with ?paged=n. "" when there is none.
func nextPageURL(style string, doc *feed.Feed, feedURL string, n int) string {
	switch style {
	case pagingLinks:
		if doc.NextURL != "" {
			return doc.NextURL
		}
		return doc.PrevArchiveURL
	case pagingQuery:
		u, err := url.Parse(feedURL)
		if err != nil {
			return ""
		}
		q := u.Query()
		q.Set("paged", strconv.Itoa(n))
		u.RawQuery = q.Encode()
		return u.String()
	}
	return ""
}

// generatorWindow is how much of a feed is searched for its generator: the
// channel header comes before the items.
const generatorWindow = 16 << 10

// looksLikeWordPress: WordPress names itself in the feed's generator
// (RSS <generator>https://wordpress.org/?v=6.4</generator>, Atom
// <generator uri="https://wordpress.org/">), and serves its feeds at …/feed/
// paths or ?feed= queries.
func looksLikeWordPress(feedURL string, body []byte) bool {
	head := bytes.ToLower(body[:min(len(body), generatorWindow)])
	if i := bytes.Index(head, []byte("<generator")); i >= 0 {
		gen := head[i:]
		if end := bytes.Index(gen, []byte("</generator>")); end >= 0 {
			gen = gen[:end]
		}
		if bytes.Contains(gen, []byte("wordpress")) {
			return true
		}
	}
	u, err := url.Parse(feedURL)
	if err != nil {
		return false
	}
	return slices.Contains(strings.Split(u.Path, "/"), "feed") || u.Query().Has("feed")
}

// fullPage: CMSs cut feeds at a round page size (10, 20, 25, 50…), so a feed
// holding exactly such a number of items probably has more behind it.
func fullPage(items int) bool {
	return items >= 10 && items%5 == 0
}

// allBefore reports whether every dated item was published before cutoff
// (and at least one is dated): the pages further back can only be older.
func allBefore(items []feed.Item, cutoff time.Time) bool {
	if cutoff.IsZero() {
		return false
	}
	dated := false
	for _, it := range items {
		if it.Published == nil {
			continue
		}
		if !it.Published.Before(cutoff) {
			return false
		}
		dated = true
	}
	return dated
}

// pageSignature identifies a page by the set of its item keys, so that a
// server answering every ?paged=N with the same items is caught.
func pageSignature(policy string, items []feed.Item) string {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = feed.ItemKey(policy, it)
	}
	slices.Sort(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, "\x00")))
	return hex.EncodeToString(sum[:])
}

// notFound: a page past the end of a ?paged=N history.
func notFound(err error) bool {
	var se *fetch.StatusError
	return errors.Is(err, fetch.ErrGone) || errors.As(err, &se) && se.Code == http.StatusNotFound
}

// notOffered: ?paged=N is a guess, and a server that does not page its feed
// that way may answer any client error, or a web page instead of a feed.
func notOffered(err error) bool {
	var se *fetch.StatusError
	return errors.Is(err, feed.ErrNotFeed) || errors.As(err, &se) && se.Code >= 400 && se.Code < 500
}

// addPage adds an older page's counts to the feed's report.
func (r *FeedReport) addPage(pg FeedReport) {
	r.Items += pg.Items
	r.NewArticles += pg.NewArticles
	r.Duplicates += pg.Duplicates
	r.ItemErrors += pg.ItemErrors
	keepUnwritable(r, pg.Err)
	r.Upgraded += pg.Upgraded
	for reason, n := range pg.ByReason {
		if r.ByReason == nil {
			r.ByReason = map[string]int{}
		}
		r.ByReason[reason] += n
	}
}
