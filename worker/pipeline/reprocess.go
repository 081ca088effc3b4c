package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/wiresift/wiresift/worker/article"
	"github.com/wiresift/wiresift/worker/store"
)

// ReprocessReport counts what a reprocess pass changed.
type ReprocessReport struct {
	Pages   int // stored pages re-extracted
	Changed int // articles whose text changed (merged ones included)
	Merged  int // articles folded into another as its duplicate
	// Split is always 0: an article keeps one page, so the sightings folded
	// into it cannot be re-extracted one by one and told apart again.
	Split  int
	Failed int // pages that could not be read, extracted or written
}

// errStopped ends a reprocess pass early when stop closes.
var errStopped = errors.New("pipeline: reprocess stopped")

// Reprocess re-runs extraction (article.Reextract with the configured rules) and
// dedup over every stored raw page, or only those of articles seen on
// onlyFeed, without fetching anything. Each article is written back in its
// own transaction (store.Redecide), so a pass that is interrupted and rerun
// finishes the job and changes nothing twice. Pages go in id order, one at a
// time, so that which article a duplicate is merged into does not depend on
// timing.
//
// With LearnFurniture, a first pass extracts every stored page and learns
// what each host repeats, so that every page, the first ones of a host
// too, is filtered by all of its host's pages.
func (p *Pipeline) Reprocess(ctx context.Context, stop <-chan struct{}, onlyFeed string) (ReprocessReport, error) {
	var rep ReprocessReport
	if err := p.learnFurniture(ctx, stop); err != nil {
		if errors.Is(err, errStopped) {
			return rep, nil
		}
		return rep, fmt.Errorf("pipeline: reprocess: learn furniture: %w", err)
	}
	dropped := p.furniture.Dropped()
	err := p.cfg.Store.RawPages(ctx, func(id int64, url string, raw []byte) error {
		if stopped(stop) {
			return errStopped
		}
		if err := p.reprocessOne(ctx, id, url, raw, onlyFeed, &rep); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rep.Failed++
			p.log.Error("article not reprocessed", "article", id, "url", url, "err", err)
		}
		return nil
	})
	p.log.Info("reprocess done", "pages", rep.Pages, "changed", rep.Changed, "merged", rep.Merged,
		"split", rep.Split, "failed", rep.Failed, "furniture_dropped", p.furniture.Dropped()-dropped)
	if errors.Is(err, errStopped) {
		return rep, nil
	}
	if err != nil {
		return rep, fmt.Errorf("pipeline: reprocess: %w", err)
	}
	return rep, nil
}

// learnFurniture observes every stored page's text under its host. A page
// that cannot be read is left to the second pass to report.
func (p *Pipeline) learnFurniture(ctx context.Context, stop <-chan struct{}) error {
	if p.furniture == nil {
		return nil
	}
	pages := 0
	err := p.cfg.Store.RawPages(ctx, func(id int64, url string, raw []byte) error {
		if stopped(stop) {
			return errStopped
		}
		body, err := article.Decompress(raw)
		if err == nil {
			err = p.furniture.ObservePage(body, url, p.cfg.Rules)
		}
		if err != nil {
			p.log.Debug("stored page not learned from", "article", id, "url", url, "err", err)
			return nil
		}
		pages++
		return nil
	})
	p.log.Info("furniture learned", "pages", pages)
	return err
}

// reprocessOne re-extracts one article's stored page and writes it back.
func (p *Pipeline) reprocessOne(ctx context.Context, id int64, url string, raw []byte, onlyFeed string, rep *ReprocessReport) error {
	stored, err := p.cfg.Store.Article(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil // merged into another article earlier in this pass
	}
	if err != nil {
		return err
	}
	if onlyFeed != "" && !seenOn(stored, onlyFeed) {
		return nil
	}
	body, err := article.Decompress(raw)
	if err != nil {
		return fmt.Errorf("stored page: %w", err)
	}
	art, fp, err := article.Reextract(stored, body, url, p.cfg.Rules, p.furniture)
	if err != nil {
		return err
	}
	rep.Pages++
	out, err := p.cfg.Store.ReprocessArticle(ctx, id, art, fp)
	if err != nil {
		return err
	}
	if out.Changed {
		rep.Changed++
	}
	if out.MergedInto != 0 {
		rep.Merged++
		p.log.Info("article merged into its duplicate", "article", id, "into", out.MergedInto,
			"reason", out.Reason, "similarity", out.Similarity)
	}
	return nil
}

func seenOn(a store.Article, feedURL string) bool {
	for _, s := range a.Sources {
		if s.FeedURL == feedURL {
			return true
		}
	}
	return false
}
