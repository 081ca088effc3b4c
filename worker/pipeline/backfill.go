package pipeline

import (
	"context"

	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/store"
)

// ingestHistory ingests a backfilled feed's older pages, as far back as
// m.history reaches (see olderPages), and logs how the walk ended.
func (p *Pipeline) ingestHistory(ctx context.Context, stop <-chan struct{}, f store.Feed, first *feed.Feed,
	resp *fetch.Response, res *store.PollResult, rep *FeedReport, m mode) {
	var w historyWalk
	for doc := range p.olderPages(ctx, stop, first, resp, &res.IdentityPolicy, *m.history, m.cutoff(f, p.now()), &w) {
		rep.addPage(p.ingestPage(ctx, stop, f, doc, res, m))
	}
	attrs := []any{"feed", f.URL, "paging", w.style, "pages", w.pages, "stop", w.stop,
		"items", rep.Items, "new", rep.NewArticles, "duplicates", rep.Duplicates}
	if w.err != nil {
		p.log.Warn("feed history walk stopped early", append(attrs, "err", w.err)...)
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

// addPage adds an older page's counts to the feed's report.
func (r *FeedReport) addPage(pg FeedReport) {
	r.Items += pg.Items
	r.NewArticles += pg.NewArticles
	r.Duplicates += pg.Duplicates
	r.ItemErrors += pg.ItemErrors
	r.Unread += pg.Unread
	keepUnwritable(r, pg.Err)
	r.Upgraded += pg.Upgraded
	for reason, n := range pg.ByReason {
		if r.ByReason == nil {
			r.ByReason = map[string]int{}
		}
		r.ByReason[reason] += n
	}
}
