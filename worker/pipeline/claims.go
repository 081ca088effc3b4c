package pipeline

import (
	"context"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// claimed is the queue between the goroutine that claims due feeds and the
// workers that poll them. Claims run ahead of the polls, so workers never
// wait for the database, but never further than pace allows: at most two
// batches wait unstarted.
type claimed struct {
	due  chan store.Feed // claimed, not yet started; closed when claiming ends
	took chan struct{}   // a worker took a feed: there may be room for a claim
	pace *pace
}

func newClaimed(concurrency int, lease time.Duration, batch int) *claimed {
	return &claimed{
		// Room for two whole batches: sending a claimed batch never blocks.
		due:  make(chan store.Feed, 2*batch),
		took: make(chan struct{}, 1),
		pace: newPace(concurrency, lease, batch),
	}
}

// next hands a worker its next feed; ok is false once claiming has ended
// and the queue is empty.
func (c *claimed) next() (f store.Feed, ok bool) {
	f, ok = <-c.due
	if ok {
		select {
		case c.took <- struct{}{}:
		default:
		}
	}
	return f, ok
}

// roomFor returns the size of the next claim once fewer than that many
// feeds wait, or false when stop or ctx ends the wait first. While it
// waits, tick runs at every tock (Run's heartbeat while every worker is
// busy); both may be nil.
func (c *claimed) roomFor(ctx context.Context, stop <-chan struct{}, tock <-chan time.Time, tick func()) (int, bool) {
	for {
		if stopped(stop) || ctx.Err() != nil {
			return 0, false
		}
		n := c.pace.batch()
		if len(c.due) < n {
			return n, true
		}
		select {
		case <-c.took:
		case <-tock:
			if tick != nil {
				tick()
			}
		case <-stop:
			return 0, false
		case <-ctx.Done():
			return 0, false
		}
	}
}

// add queues a claimed batch; roomFor made sure it fits.
func (c *claimed) add(feeds []store.Feed) {
	for _, f := range feeds {
		c.due <- f
	}
}

// claimPass claims the feeds due at passStart into c, a batch at a time,
// until none is left or halt or ctx ends the pass, then closes the queue.
func (p *Pipeline) claimPass(ctx context.Context, halt <-chan struct{}, passStart time.Time, c *claimed) error {
	defer close(c.due)
	for {
		n, ok := c.roomFor(ctx, halt, nil, nil)
		if !ok {
			return nil
		}
		feeds, err := p.cfg.Store.ClaimDueFeeds(ctx, passStart, n, p.cfg.Lease)
		if err != nil || len(feeds) == 0 {
			return err
		}
		c.add(feeds)
	}
}

// claimAsDue is claimPass for a long-running worker: when nothing is due it
// sleeps until something will be (or wake fires), a failed claim is logged
// and retried, and the queue closes only when stop or ctx ends the run. It
// beats at least every idleCheck, even while every worker is busy.
func (p *Pipeline) claimAsDue(ctx context.Context, stop, wake <-chan struct{}, c *claimed) {
	defer close(c.due)
	beat := time.NewTicker(idleCheck)
	defer beat.Stop()
	var down outage
	for {
		p.beat()
		n, ok := c.roomFor(ctx, stop, beat.C, p.beat)
		if !ok {
			return
		}
		feeds, err := p.cfg.Store.ClaimDueFeeds(ctx, p.now(), n, p.cfg.Lease)
		if p.cfg.ClaimDone != nil && ctx.Err() == nil {
			p.cfg.ClaimDone(err)
		}
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			p.sleep(ctx, stop, nil, down.failed(p, err))
			continue
		}
		down.recovered(p)
		switch {
		case len(feeds) == 0:
			p.sleep(ctx, stop, wake, p.untilNextDue(ctx))
		default:
			c.add(feeds)
		}
	}
}
