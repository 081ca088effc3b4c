package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
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

// historyWalk is how far one feed's walk back through its older pages went,
// and why it stopped.
type historyWalk struct {
	style string // paging style
	pages int    // feed documents read, the current one included
	stop  string // why the walk ended
	err   error  // what ended it, when a page failed
}

// olderPages yields a backfilled feed's older pages, after its current
// document first, until the history ends or a bound of h stops it; w says
// how far it went and why it stopped. The caller ingests each page as it
// comes (items already stored are skipped there, so an interrupted walk,
// rerun, stores nothing twice). policy is the feed's identity policy in
// force, which ingesting a page may strengthen; cutoff is the item cutoff.
func (p *Pipeline) olderPages(ctx context.Context, stop <-chan struct{}, first *feed.Feed, resp *fetch.Response,
	policy *string, h History, cutoff time.Time, w *historyWalk) iter.Seq[*feed.Feed] {
	return func(yield func(*feed.Feed) bool) {
		maxPages := h.MaxPages
		if maxPages <= 0 {
			maxPages = DefaultMaxPages
		}
		w.style = pagingStyle(first, resp)
		pageKeys := map[string]bool{pageSignature(*policy, first.Items): true}
		visited := map[string]bool{resp.URL: true}
		doc := first
		w.pages = 1
		for w.stop == "" {
			next := nextPageURL(w.style, doc, resp.URL, w.pages+1)
			switch {
			case stopped(stop) || ctx.Err() != nil:
				w.stop = stopInterrupted
			case next == "" && w.pages == 1:
				w.stop = stopNoHistory
			case next == "":
				w.stop = stopEnd
			case allBefore(doc.Items, cutoff):
				w.stop = stopSince
			case w.pages >= maxPages:
				w.stop = stopMaxPages
			case visited[next]:
				w.stop = stopRepeat
			}
			if w.stop != "" {
				return
			}
			visited[next] = true
			var err error
			if doc, err = p.fetchHistoryPage(ctx, next); err != nil {
				w.stop, w.err = stopError, err
				if ctx.Err() != nil {
					w.stop, w.err = stopInterrupted, nil
				} else if notFound(err) || w.style == pagingQuery && notOffered(err) {
					w.stop, w.err = stopNotFound, nil
				}
				return
			}
			w.pages++
			sig := pageSignature(*policy, doc.Items)
			switch {
			case len(doc.Items) == 0:
				w.stop = stopEmpty
			case pageKeys[sig]:
				w.stop = stopRepeat
			default:
				pageKeys[sig] = true
				if !yield(doc) {
					w.stop = stopInterrupted
				}
			}
		}
	}
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
func pageSignature(identity string, items []feed.Item) string {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = policy.ItemKey(identity, it)
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
