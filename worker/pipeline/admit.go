package pipeline

import (
	"context"
	"fmt"

	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/htmlparse"
	"golang.org/x/sync/semaphore"
)

// DefaultParseBudget is the memory that documents being parsed may hold at
// once, across every feed and page in flight (Config.ParseBudget).
const DefaultParseBudget = 96 << 20

// What parsing costs, measured by the crashtest benchmarks (docs/limits.md):
// a page node from parse to extracted text, a feed element in gofeed's
// tree, and the copies of the document's bytes on the way (decoded,
// stripped, kept compressed).
const (
	bytesPerPageNode    = 500
	bytesPerFeedElement = 800
	copiesOfDocument    = 3
)

// parseBudget holds parses to a memory budget: a document waits until the
// ones before it leave room for its weight. One heavier than the whole
// budget runs alone. Waiting holds a page slot but no more memory than the
// document itself.
type parseBudget struct {
	total int64
	sem   *semaphore.Weighted
}

func newParseBudget(total int64) *parseBudget {
	return &parseBudget{total: total, sem: semaphore.NewWeighted(total)}
}

func (b *parseBudget) acquire(ctx context.Context, weight int64) (func(), error) {
	weight = min(max(weight, 1), b.total)
	if err := b.sem.Acquire(ctx, weight); err != nil {
		return nil, fmt.Errorf("waiting for parse memory: %w", err)
	}
	return func() { b.sem.Release(weight) }, nil
}

// admitPage holds a page's parse and extraction (or an item's content) to
// the budget: it waits for room for nodes nodes of a document of size
// bytes, which the parse then grows as its tree grows, without waiting
// (htmlparse.Limits.Within guesses the first room from the size and, when
// the room cannot grow, releases it and waits, holding nothing, for room
// for the most nodes the limits allow). It is the article.Maker's Admit.
func (b *parseBudget) admitPage(ctx context.Context, nodes, size int) (htmlparse.Room, error) {
	r := &pageRoom{budget: b, size: size}
	weight := r.weight(nodes)
	if err := b.sem.Acquire(ctx, weight); err != nil {
		return nil, fmt.Errorf("waiting for parse memory: %w", err)
	}
	r.held = weight
	return r, nil
}

// pageRoom is a page's share of the budget, grown as its tree grows.
type pageRoom struct {
	budget *parseBudget
	size   int
	held   int64
}

// weight is what a tree of nodes nodes from the page costs, at most the
// whole budget: a page heavier than that runs alone.
func (r *pageRoom) weight(nodes int) int64 {
	return min(max(int64(nodes)*bytesPerPageNode+int64(r.size)*copiesOfDocument, 1), r.budget.total)
}

// Grow takes the more that nodes nodes weigh if the budget has it free now.
// It never waits: a parse that waited while holding its room could wait for
// rooms that wait for it (and semaphore.Weighted is first come, first
// served, so a waiter would also stall every document behind it).
func (r *pageRoom) Grow(nodes int) bool {
	w := r.weight(nodes)
	if w <= r.held {
		return true
	}
	if !r.budget.sem.TryAcquire(w - r.held) {
		return false
	}
	r.held = w
	return true
}

func (r *pageRoom) Release() {
	r.budget.sem.Release(r.held)
	r.held = 0
}

// feedParser parses feeds within the same budget as pages.
func (p *Pipeline) feedParser(ctx context.Context) feed.Parser {
	return feed.Parser{Admit: func(s feed.Shape) (func(), error) {
		return p.budget.acquire(ctx, int64(s.Elements)*bytesPerFeedElement+int64(s.Bytes)*copiesOfDocument)
	}}
}
