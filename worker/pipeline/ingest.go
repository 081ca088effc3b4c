package pipeline

import (
	"context"

	"github.com/wiresift/wiresift/worker/store"
)

// ingestItem makes the article for one new feed item and stores it.
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
	art, fp, bytes := p.maker.Make(ctx, it.Item)
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
		rep.Reason, rep.Upgraded = out.Reason, out.Upgraded
		p.log.Debug("item stored", "feed", f.URL, "url", it.Link, "article", out.ArticleID,
			"reason", out.Reason, "similarity", out.Similarity, "text_source", art.TextSource)
	}
	p.cfg.Events.ItemDone(rep)
	return rep
}
