package pipeline

import (
	"context"

	"github.com/wiresift/wiresift/worker/store"
)

// ingestItem makes the article for one new feed item and stores it.
//
// It holds a page slot while it fetches and makes the article: parsing is
// where the CPU and memory go. The slot is free again before the store
// answers, so that the next pages are parsed while the single SQLite writer
// works, and the articles that queue for it meanwhile share its commits
// (one commit and one search-index segment for several). What waits for the
// store is the text and the compressed page, no parse: storeSlots bounds
// how many articles wait, and their bytes count against the parse budget,
// so the memory bound of the parses covers them too (an unbounded fan-out
// would hold every item of every feed, and more of them the slower the
// writer gets). The item still returns only once the store has answered:
// the feed's state is saved after its items are stored, never before.
func (p *Pipeline) ingestItem(ctx context.Context, f store.Feed, it keyedItem) ItemReport {
	rep := ItemReport{FeedURL: f.URL, URL: it.Link}
	select {
	case p.pages <- struct{}{}:
	case <-ctx.Done():
		rep.Err = ctx.Err()
		p.cfg.Events.ItemDone(rep)
		return rep
	}
	start := p.now()
	art, fp, bytes := p.maker.Make(ctx, it.Item)
	rep.Fetch, rep.Bytes = p.now().Sub(start), bytes
	rep.TextSource, rep.FetchError = art.TextSource, art.FetchError
	// Both taken before the page slot is given back, so that what is made
	// and not yet stored stays within its bounds.
	release, err := p.waitForStore(ctx, int64(len(art.Text)+len(art.RawHTML)))
	<-p.pages
	if err != nil {
		rep.Err = err
		p.cfg.Events.ItemDone(rep)
		return rep
	}
	defer release()

	s := store.Sighting{
		FeedID: f.ID, FeedURL: f.URL, ItemKey: it.Key, ItemURL: it.Link,
		ItemTitle: it.Title, SeenAt: p.now(), Article: art,
		Print: fp,
		// Pages being made now reach the store within milliseconds.
		MoreComing: len(p.pages) > 0,
	}
	out, err := p.cfg.Store.Ingest(ctx, s)
	switch {
	case err != nil:
		rep.Err = err
		p.log.Error("store item", "feed", f.URL, "url", it.Link, "err", err)
	case out.AlreadySeen:
	default:
		rep.Reason, rep.Upgraded = out.Reason, out.Upgraded
		p.log.Debug("item stored", "feed", f.URL, "url", it.Link, "article", out.ArticleID,
			"reason", out.Reason, "similarity", out.Similarity, "text_source", art.TextSource)
	}
	p.cfg.Events.ItemDone(rep)
	return rep
}

// waitForStore takes a store slot and room in the parse budget for an
// article of size bytes, and returns what gives them back.
func (p *Pipeline) waitForStore(ctx context.Context, size int64) (func(), error) {
	select {
	case p.storing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release, err := p.budget.acquire(ctx, size)
	if err != nil {
		<-p.storing
		return nil, err
	}
	return func() {
		release()
		<-p.storing
	}, nil
}
