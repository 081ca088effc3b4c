package pipeline

import (
	"context"
	"net/url"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/fetch"
)

// maxCrawlDelay caps a robots.txt Crawl-delay: a site asking for an hour
// between pages is read at one page a minute, not never.
const maxCrawlDelay = time.Minute

// crawlDelayed spaces page requests to a host by its robots.txt
// Crawl-delay, on top of the fetcher's own per-host gap. Only hosts whose
// robots.txt was read (sites crawled through a sitemap) have a delay.
type crawlDelayed struct {
	next  Fetcher
	delay func(pageURL string) time.Duration
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time

	mu    sync.Mutex
	slots map[string]time.Time // host → earliest start of its next page request
}

func newCrawlDelayed(next Fetcher, delay func(string) time.Duration) *crawlDelayed {
	return &crawlDelayed{next: next, delay: delay, sleep: sleepCtx, now: time.Now, slots: map[string]time.Time{}}
}

// Get waits for the host's slot, then fetches.
func (c *crawlDelayed) Get(ctx context.Context, r fetch.Request) (*fetch.Response, error) {
	if r.Kind == fetch.KindPage {
		if d := min(c.delay(r.URL), maxCrawlDelay); d > 0 {
			if err := c.wait(ctx, r.URL, d); err != nil {
				return nil, err
			}
		}
	}
	return c.next.Get(ctx, r)
}

// wait reserves the host's next slot (so concurrent callers queue up d
// apart) and sleeps until it.
func (c *crawlDelayed) wait(ctx context.Context, pageURL string, d time.Duration) error {
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil // the fetcher reports the bad URL
	}
	now := c.now()
	c.mu.Lock()
	start := now
	if slot := c.slots[u.Host]; slot.After(now) {
		start = slot
	}
	c.slots[u.Host] = start.Add(d)
	c.mu.Unlock()
	if wait := start.Sub(now); wait > 0 {
		return c.sleep(ctx, wait)
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
