package pipeline

import (
	"context"
	"sync"
	"time"
)

// idleCheck bounds how long an idle worker sleeps before looking for due
// feeds again: other workers sharing the database may add feeds or let
// leases expire without this one being told.
const idleCheck = time.Minute

// Run polls feeds as they come due until stop is closed, keeping at most
// Concurrency polls in flight. It sleeps until the next feed is due (or wake
// fires, after the feed list changed) rather than polling an empty queue.
// When stop closes it starts nothing new and returns once the polls in
// flight have finished; cancelling ctx cuts those short (their items are
// either committed or not written at all).
func (p *Pipeline) Run(ctx context.Context, stop, wake <-chan struct{}) error {
	saves := newStateSaver(p.cfg.Store)
	defer saves.close()
	slots := make(chan struct{}, p.cfg.Concurrency)
	finished := make(chan struct{}, 1)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		if p.cfg.Beat != nil {
			p.cfg.Beat()
		}
		if stopped(stop) || ctx.Err() != nil {
			return nil
		}
		free := cap(slots) - len(slots)
		if free == 0 {
			p.sleep(ctx, stop, wake, finished, idleCheck)
			continue
		}
		feeds, err := p.cfg.Store.ClaimDueFeeds(ctx, p.now(), free, p.cfg.Lease)
		if err != nil {
			p.log.Error("claim due feeds", "err", err)
			p.sleep(ctx, stop, wake, finished, 5*time.Second)
			continue
		}
		for _, f := range feeds {
			slots <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					<-slots
					select {
					case finished <- struct{}{}:
					default:
					}
				}()
				p.pollFeed(ctx, stop, f, mode{saves: saves}, func(FeedReport) {})
			}()
		}
		if len(feeds) > 0 {
			continue
		}
		wait := idleCheck
		if next, err := p.cfg.Store.NextDue(ctx); err == nil && !next.IsZero() {
			// A due feed that is still unclaimed is leased by another
			// worker: look again in a second rather than spinning.
			wait = min(max(next.Sub(p.now()), time.Second), idleCheck)
		}
		p.sleep(ctx, stop, wake, finished, wait)
	}
}

func (p *Pipeline) sleep(ctx context.Context, stop, wake, finished <-chan struct{}, d time.Duration) {
	if d <= 0 {
		d = time.Millisecond
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-stop:
	case <-wake:
	case <-finished:
	case <-ctx.Done():
	}
}
