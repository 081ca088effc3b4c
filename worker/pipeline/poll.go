package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/htmlparse"
	"github.com/wiresift/wiresift/worker/schedule"
	"github.com/wiresift/wiresift/worker/sitemap"
	"github.com/wiresift/wiresift/worker/store"
)

// DefaultClaimBatch is the most due feeds a worker leases at a time (pace
// sizes each claim) unless Config.ClaimBatch says otherwise: enough to keep
// the pool busy, few enough that other workers get their share.
const DefaultClaimBatch = 64

// PollDue polls every feed that is due now, once, and returns what it did.
// It stops starting new feeds when stop is done; ctx bounds the work itself.
// The next batch of due feeds is claimed while the last one is polled, and
// states are saved in batches, so the pool never waits for the database.
func (p *Pipeline) PollDue(ctx context.Context, stop <-chan struct{}) (Summary, error) {
	fs := newFaultStop(ctx)
	defer fs.cancel(nil)
	ctx = fs.ctx
	saves := newStateSaver(p.cfg.Store)
	// halt stops the pass early: on stop, or once the database can take no
	// more writes.
	halt := make(chan struct{})
	haltOnce := sync.OnceFunc(func() { close(halt) })
	passDone := make(chan struct{})
	defer close(passDone)
	go func() {
		select {
		case <-stop:
			haltOnce()
		case <-ctx.Done():
			haltOnce()
		case <-passDone:
		}
	}()

	c := newClaimed(p.cfg.Concurrency, p.cfg.Lease, p.cfg.ClaimBatch)
	claimErr := make(chan error, 1)
	go func() { claimErr <- p.claimPass(ctx, halt, p.now(), c) }()

	var sum Summary
	var stopErr error
	sched := p.scheduledMode(saves)
	sched.fault = fs.item
	p.pollStream(ctx, halt, c, sched, func(r FeedReport) {
		sum.add(r)
		if err := unwritable([]FeedReport{r}); err != nil && stopErr == nil {
			stopErr = err
			haltOnce()
		}
	})
	saves.close() // the last reports come with the last saves
	if err := fs.err(); err != nil {
		stopErr = err
	}
	if err := <-claimErr; err != nil && stopErr == nil {
		stopErr = fmt.Errorf("pipeline: claim due feeds: %w", err)
	}
	if stopErr != nil {
		return sum, stopErr
	}
	return sum, ctx.Err()
}

// Backfill polls every active feed once, ignoring the schedule and the HTTP
// validators, ingests every item the feeds hold, and follows each feed's
// older pages as far as h allows (see walkHistory).
func (p *Pipeline) Backfill(ctx context.Context, stop <-chan struct{}, only string, h History) (Summary, error) {
	all, err := p.cfg.Store.Feeds(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("pipeline: list feeds: %w", err)
	}
	var feeds []store.Feed
	for _, f := range all {
		if f.State == store.FeedGone || f.State == store.FeedDisabled {
			continue
		}
		if only != "" && f.URL != only {
			continue
		}
		feeds = append(feeds, f)
	}
	if only != "" && len(feeds) == 0 {
		return Summary{}, fmt.Errorf("pipeline: feed %s is not an active feed", only)
	}
	fs := newFaultStop(ctx)
	defer fs.cancel(nil)
	ctx = fs.ctx
	saves := newStateSaver(p.cfg.Store)
	c := &claimed{due: make(chan store.Feed, len(feeds))}
	for _, f := range feeds {
		c.due <- f
	}
	close(c.due)
	var sum Summary
	var reports []FeedReport
	back := p.backfillMode(saves, h)
	back.fault = fs.item
	p.pollStream(ctx, stop, c, back, func(r FeedReport) {
		sum.add(r)
		reports = append(reports, r)
	})
	saves.close() // the last reports come with the last saves
	if err := fs.err(); err != nil {
		return sum, err
	}
	if err := unwritable(reports); err != nil {
		return sum, err
	}
	return sum, ctx.Err()
}

// pollStream polls the feeds queued in c with Concurrency workers until
// the queue is closed and empty, and hands each poll's report to done (one
// call at a time) once its state is saved. A feed taken once stop or ctx is
// done is handed back unpolled. Saves may still be queued in m.saves when
// it returns.
func (p *Pipeline) pollStream(ctx context.Context, stop <-chan struct{}, c *claimed, m mode, done func(FeedReport)) {
	var mu sync.Mutex
	report := func(r FeedReport) {
		mu.Lock()
		defer mu.Unlock()
		done(r)
	}
	var wg sync.WaitGroup
	for range p.cfg.Concurrency {
		wg.Go(func() {
			for {
				f, ok := c.next()
				if !ok {
					return
				}
				if stopped(stop) || ctx.Err() != nil {
					// Not started: hand the lease back so the feed stays due.
					p.release(ctx, f)
					continue
				}
				if m.leases && !f.LeasedUntil.IsZero() && !p.now().Before(f.LeasedUntil) {
					// It waited past its lease: another worker may own it
					// now, and its save would be refused anyway.
					p.log.Warn("claimed feed waited past its lease; leaving it to the next claim", "feed", f.URL, "lease", p.cfg.Lease)
					continue
				}
				start := time.Now()
				p.pollFeed(ctx, stop, f, m, report)
				if c.pace != nil {
					c.pace.observe(time.Since(start))
				}
			}
		})
	}
	wg.Wait()
}

// pollFeed fetches one feed, ingests its new items and queues its state in
// m.saves. It returns once the network and extraction work is done, so the
// caller can poll the next feed while the state waits to share a commit;
// done gets the feed's report once the state is written.
func (p *Pipeline) pollFeed(ctx context.Context, stop <-chan struct{}, f store.Feed, m mode, done func(FeedReport)) {
	start := p.now()
	rep := FeedReport{URL: f.URL}
	res := stateFrom(f, start)
	if !m.leases {
		// Polled without a claim (a backfill): the result is saved
		// whatever lease another worker holds.
		res.Lease = time.Time{}
	}

	doc, resp, err := p.fetchFeed(ctx, f, m)
	if resp != nil {
		rep.Status = resp.Status
		rep.Bytes = len(resp.Body)
		res.Status = resp.Status
	}
	switch {
	case err != nil && ctx.Err() != nil:
		// Shutting down: not the feed's fault; leave it due.
		p.release(ctx, f)
		rep.Outcome, rep.Err = OutcomeError, ctx.Err()
		done(rep)
		return
	case err != nil:
		p.recordFailure(&res, &rep, f, err)
	case resp.NotModified:
		rep.Outcome = OutcomeNotModified
		keepValidators(&res, resp)
		res.NextPollAt = p.next(f, schedule.Input{Now: start, ItemDates: f.ItemDates, FreshUntil: resp.FreshUntil})
	case doc == nil:
		rep.Outcome = OutcomeUnchanged
		keepValidators(&res, resp)
		res.NextPollAt = p.next(f, schedule.Input{Now: start, ItemDates: f.ItemDates, FreshUntil: resp.FreshUntil})
	default:
		rep.Outcome = OutcomeOK
		keepValidators(&res, resp)
		res.BodyHash = bodyHash(resp.Body)
		walkIndex := m.history != nil && sitemap.Sniff(resp.Body)
		if !walkIndex {
			// The items hold what they need: a 20 MiB body need not wait
			// through a thousand page fetches. ingestHistory reads only
			// its head; a backfilled sitemap index is read again whole
			// by walkSitemap.
			resp.Body = bytes.Clone(resp.Body[:min(len(resp.Body), generatorWindow)])
		}
		if resp.PermanentRedirect != "" {
			res.RedirectTo = resp.PermanentRedirect
			p.log.Warn("feed moved permanently; fetching the new URL from now on, update the feeds file",
				"feed", f.URL, "new_url", resp.PermanentRedirect)
		}
		dates := p.ingestFeed(ctx, stop, f, doc, &res, &rep, m)
		if rep.ItemErrors > 0 || rep.Err != nil {
			// Some items were not stored: keep the old validators, so that
			// the next poll fetches the whole feed again and takes them.
			res.ETag, res.LastModified, res.BodyHash = f.ETag, f.LastModified, f.BodyHash
		}
		// Stored and read back at every poll: only what the schedule uses.
		res.ItemDates = schedule.DatesToKeep(start, dates)
		if rep.Deferred > 0 {
			// Forget the validators, so the next poll reads the whole
			// document again and takes the items left waiting.
			res.ETag, res.LastModified, res.BodyHash = "", "", ""
		}
		switch {
		case walkIndex:
			p.walkSitemap(ctx, stop, f, resp, &res, &rep, m)
		case m.history != nil:
			p.ingestHistory(ctx, stop, f, doc, resp, &res, &rep, m)
		}
		res.NextPollAt = p.next(f, schedule.Input{
			Now: start, ItemDates: dates, FreshUntil: resp.FreshUntil, TTL: doc.TTL,
		})
	}
	rep.Duration = p.now().Sub(start)
	m.saves.saveThen(res, func(err error) {
		if err := p.saveOutcome(f.URL, err); err != nil {
			rep.Err = errors.Join(rep.Err, err)
		}
		p.logFeed(rep, res)
		p.cfg.Events.FeedDone(rep)
		done(rep)
	})
}

// fetchFeed GETs and parses a feed. A nil document with no error means the
// body is byte-for-byte what was parsed last time (servers that ignore
// validators), so there is nothing to do.
func (p *Pipeline) fetchFeed(ctx context.Context, f store.Feed, m mode) (*feed.Feed, *fetch.Response, error) {
	url := f.URL
	if f.RedirectTo != "" {
		url = f.RedirectTo
	}
	req := fetch.Request{URL: url, Kind: sourceKind(url)}
	if m.validators {
		req.ETag, req.LastModified = f.ETag, f.LastModified
	}
	resp, err := p.cfg.Fetcher.Get(ctx, req)
	if err != nil || resp.NotModified {
		return nil, resp, err
	}
	if m.validators && f.BodyHash != "" && bodyHash(resp.Body) == f.BodyHash {
		return nil, resp, nil
	}
	if sitemap.Sniff(resp.Body) {
		doc, err := p.sitemapFeed(ctx, f, resp, m)
		return doc, resp, err
	}
	doc, err := p.feedParser(ctx).Parse(resp.Body, resp.ContentType, resp.URL)
	if errors.Is(err, feed.ErrNotFeed) {
		return p.discover(ctx, f, resp, err)
	}
	if err != nil {
		return nil, resp, err
	}
	return doc, resp, nil
}

// discover handles a feeds-file line that points at a web page: it follows
// the page's <link rel="alternate"> feed, and says the line should change.
func (p *Pipeline) discover(ctx context.Context, f store.Feed, page *fetch.Response, parseErr error) (*feed.Feed, *fetch.Response, error) {
	// The page is parsed within the memory budget, as articles are.
	links := feed.Discover(page.Body, page.URL, func(nodes, size int) (htmlparse.Room, error) {
		return p.budget.admitPage(ctx, nodes, size)
	})
	if len(links) == 0 {
		return nil, page, parseErr
	}
	p.log.Warn("feed URL is a web page; using the feed it advertises, update the feeds file",
		"feed", f.URL, "discovered", links[0])
	resp, err := p.cfg.Fetcher.Get(ctx, fetch.Request{URL: links[0], Kind: fetch.KindFeed})
	if err != nil {
		return nil, resp, fmt.Errorf("discovered feed %s: %w", links[0], err)
	}
	doc, err := p.feedParser(ctx).Parse(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		return nil, resp, fmt.Errorf("discovered feed %s: %w", links[0], err)
	}
	// The discovered URL is where this feed lives now.
	resp.PermanentRedirect = links[0]
	return doc, resp, nil
}

// ingestFeed ingests the items of a parsed feed that this feed has not had
// before, oldest first, and returns the item dates for the schedule.
func (p *Pipeline) ingestFeed(ctx context.Context, stop <-chan struct{}, f store.Feed, doc *feed.Feed,
	res *store.PollResult, rep *FeedReport, m mode) []time.Time {
	rep.Items = len(doc.Items)
	res.IdentityPolicy = policy.ChooseIdentity(f.IdentityPolicy, doc.Items)
	if res.IdentityPolicy != f.IdentityPolicy && f.IdentityPolicy != "" {
		p.log.Warn("feed item identities are unreliable; using a stronger key",
			"feed", f.URL, "from", f.IdentityPolicy, "to", res.IdentityPolicy)
	}
	dates := []time.Time{}
	keys := make([]string, 0, len(doc.Items))
	for _, it := range doc.Items {
		keys = append(keys, policy.ItemKey(res.IdentityPolicy, it))
		if it.Published != nil {
			dates = append(dates, *it.Published)
		}
	}
	seen, err := p.seenItems(ctx, f, res.IdentityPolicy, doc.Items, keys)
	if err != nil {
		rep.Err = fmt.Errorf("feed %s: %w", f.URL, err)
		return dates
	}
	items := p.newItems(f, doc.Items, keys, seen, m)
	p.capItems(f, doc, &items, rep, m)
	reports := make([]ItemReport, len(items))
	// At most Concurrency items of this feed are in flight, each waiting
	// for a page slot: a feed of a hundred thousand new items holds a
	// handful of goroutines, not one each.
	slots := make(chan struct{}, p.cfg.Concurrency)
	var wg sync.WaitGroup
start:
	for i, it := range items {
		select {
		case slots <- struct{}{}:
		case <-stop:
			break start
		case <-ctx.Done():
			break start
		}
		if stopped(stop) || ctx.Err() != nil {
			<-slots
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			reports[i] = p.ingestItem(ctx, f, it)
			if m.fault != nil && reports[i].Err != nil {
				m.fault(reports[i].Err)
			}
		})
	}
	wg.Wait()
	for _, r := range reports {
		switch {
		case r.Err != nil:
			rep.ItemErrors++
			keepUnwritable(rep, r.Err)
		case r.Reason == store.ReasonFirst:
			rep.NewArticles++
		case r.Reason != "":
			rep.Duplicates++
			if r.Upgraded {
				rep.Upgraded++
			}
			if rep.ByReason == nil {
				rep.ByReason = map[string]int{}
			}
			rep.ByReason[string(r.Reason)]++
		}
	}
	return dates
}

// MaxNewItemsPerPoll is the most new items one poll ingests; the rest wait
// for the next poll (whose full GET finds them still new). A backfill takes
// them all. It bounds how long one feed holds its lease and a worker.
const MaxNewItemsPerPoll = 1000

// capItems keeps the oldest MaxNewItemsPerPoll new items for this poll and
// says what waits or was not read, in the log and the report.
func (p *Pipeline) capItems(f store.Feed, doc *feed.Feed, items *[]keyedItem, rep *FeedReport, m mode) {
	if doc.Unread > 0 {
		rep.Unread = doc.Unread
		p.log.Warn("feed document has more items than are read; the rest are not read",
			"feed", f.URL, "read", len(doc.Items), "unread", doc.Unread, "limit", feed.MaxItems)
	}
	if m.history != nil || len(*items) <= MaxNewItemsPerPoll {
		return
	}
	rep.Deferred = len(*items) - MaxNewItemsPerPoll
	*items = (*items)[:MaxNewItemsPerPoll]
	p.log.Warn("feed has more new items than one poll takes; the rest wait for the next poll",
		"feed", f.URL, "taken", MaxNewItemsPerPoll, "deferred", rep.Deferred)
}

// keyedItem is a feed item with its identity key.
type keyedItem struct {
	feed.Item
	Key string
}

// newItems returns the items not seen before, once each, oldest first so that
// the first copy of a story to appear is the one stored as its original.
func (p *Pipeline) newItems(f store.Feed, items []feed.Item, keys []string, seen map[string]bool, m mode) []keyedItem {
	cutoff := m.cutoff(f, p.now())
	var out []keyedItem
	inDoc := make(map[string]bool, len(items))
	for i, it := range items {
		k := keys[i]
		if seen[k] || inDoc[k] {
			continue
		}
		inDoc[k] = true
		if !cutoff.IsZero() && it.Published != nil && it.Published.Before(cutoff) {
			continue
		}
		out = append(out, keyedItem{Item: it, Key: k})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Published, out[j].Published
		return a != nil && b != nil && a.Before(*b)
	})
	return out
}

// next is the feed's next poll time; the shared random source is locked
// because feeds are polled concurrently.
func (p *Pipeline) next(f store.Feed, in schedule.Input) time.Time {
	in.Interval = f.Interval
	p.randMu.Lock()
	defer p.randMu.Unlock()
	return p.cfg.Schedule.Next(in, p.cfg.Rand)
}

// recordFailure classifies a failed poll: gone feeds stop, blocked ones and
// other errors back off, and a server's Retry-After is a hard lower bound.
func (p *Pipeline) recordFailure(res *store.PollResult, rep *FeedReport, f store.Feed, err error) {
	rep.Err = err
	res.Error = err.Error()
	res.ConsecutiveErrors = f.ConsecutiveErrors + 1
	in := schedule.Input{Now: res.PolledAt, ConsecutiveErrors: res.ConsecutiveErrors}
	var se *fetch.StatusError
	if errors.As(err, &se) {
		res.Status = se.Code
		rep.Status = se.Code
		in.RetryAfter = se.RetryAfter
	}
	switch {
	case errors.Is(err, fetch.ErrGone):
		rep.Outcome = OutcomeGone
		res.State = store.FeedGone
		res.Status = 410
	case errors.Is(err, fetch.ErrBlocked):
		rep.Outcome = OutcomeBlocked
		res.State = store.FeedBlocked
	default:
		rep.Outcome = OutcomeError
	}
	res.NextPollAt = p.next(f, in)
}

// release hands a claimed feed back without counting a poll.
func (p *Pipeline) release(ctx context.Context, f store.Feed) {
	res := stateFrom(f, f.LastPollAt)
	res.NextPollAt = f.NextPollAt
	res.Status = f.LastStatus
	res.Error = f.LastError
	res.ConsecutiveErrors = f.ConsecutiveErrors
	if err := p.save(ctx, f.URL, res); err != nil {
		p.log.Error("release feed lease", "feed", f.URL, "err", err)
	}
}

// save records a poll's outcome at once. It runs even when ctx was
// cancelled by a shutdown, so that a finished poll is never forgotten.
func (p *Pipeline) save(ctx context.Context, feedURL string, res store.PollResult) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	return p.saveOutcome(feedURL, p.cfg.Store.SaveFeedState(sctx, res))
}

// saveOutcome is what a save's error means for the poll's report.
func (p *Pipeline) saveOutcome(feedURL string, err error) error {
	if errors.Is(err, store.ErrLeaseLost) {
		// The poll outlived its lease and another worker owns the feed now:
		// its items are stored (and deduplicated); its state is that
		// worker's to write. A longer -lease avoids the double fetch.
		p.log.Warn("poll outlived its lease; another worker has the feed", "feed", feedURL, "lease", p.cfg.Lease)
		return nil
	}
	if err != nil {
		return fmt.Errorf("save state of feed %s: %w", feedURL, err)
	}
	return nil
}

// logFeed writes a poll's line: an error at ERROR, a feed that brought
// something (or moved, or went) at INFO, and an idle one (304, or the same
// bytes again) at DEBUG. Most polls of a large list are idle: a line each
// at the default level was a twentieth of a 304 pass, and the pass's
// summary counts them.
func (p *Pipeline) logFeed(rep FeedReport, res store.PollResult) {
	level := feedLogLevel(rep)
	if !p.log.Enabled(context.Background(), level) {
		return // a 304 pass would build ten thousand lines for nothing
	}
	attrs := []any{"feed", rep.URL, "outcome", rep.Outcome, "status", rep.Status,
		"items", rep.Items, "new", rep.NewArticles, "duplicates", rep.Duplicates,
		"next_poll", res.NextPollAt.Format(time.RFC3339), "took", rep.Duration.Round(time.Millisecond)}
	if rep.Err != nil {
		p.log.Error("feed poll failed", append(attrs, "err", rep.Err)...)
		return
	}
	p.log.Log(context.Background(), level, "feed polled", attrs...)
}

// feedLogLevel is the level of a poll's log line (see logFeed).
func feedLogLevel(rep FeedReport) slog.Level {
	switch {
	case rep.Err != nil:
		return slog.LevelError
	case rep.Outcome == OutcomeNotModified || rep.Outcome == OutcomeUnchanged:
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// stateFrom is the state a poll of f starts from. Its URL is left empty,
// which keeps the stored one: the configured URL stays the feed's identity,
// and a feed that moved is fetched from RedirectTo.
//
// Its State is empty too, which keeps the stored one, unless the feed was
// blocked: a poll that gets an answer unblocks it. A save that leaves the
// state column alone costs SQLite less (see the sqlite store's keepStateSQL).
func stateFrom(f store.Feed, polledAt time.Time) store.PollResult {
	var state store.FeedState
	if f.State == "" || f.State == store.FeedBlocked {
		state = store.FeedActive
	}
	return store.PollResult{
		FeedID: f.ID, State: state,
		ETag: f.ETag, LastModified: f.LastModified, BodyHash: f.BodyHash,
		PolledAt: polledAt, IdentityPolicy: f.IdentityPolicy, RedirectTo: f.RedirectTo,
		Lease: f.LeasedUntil,
	}
}

// keepValidators keeps the newest validators a server sent.
func keepValidators(res *store.PollResult, resp *fetch.Response) {
	if resp.ETag != "" {
		res.ETag = resp.ETag
	}
	if resp.LastModified != "" {
		res.LastModified = resp.LastModified
	}
}

func bodyHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
