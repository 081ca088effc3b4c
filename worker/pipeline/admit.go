package pipeline

import (
	"context"
	"fmt"

	"github.com/wiresift/wiresift/worker/feed"
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
// the budget, weighed by the nodes htmlcost counted (extract refuses a page
// past htmlcost.Default before it gets here); it is the article.Maker's Admit.
func (b *parseBudget) admitPage(ctx context.Context, nodes, size int) (func(), error) {
	return b.acquire(ctx, int64(nodes)*bytesPerPageNode+int64(size)*copiesOfDocument)
}

// feedParser parses feeds within the same budget as pages.
func (p *Pipeline) feedParser(ctx context.Context) feed.Parser {
	return feed.Parser{Admit: func(s feed.Shape) (func(), error) {
		return p.budget.acquire(ctx, int64(s.Elements)*bytesPerFeedElement+int64(s.Bytes)*copiesOfDocument)
	}}
}
