package pipeline

import (
	"context"
	"time"
)

// idleCheck bounds how long an idle worker sleeps before looking for due
// feeds again: other workers sharing the database may add feeds or let
// leases expire without this one being told. It is also the longest gap
// between two Beats.
const idleCheck = time.Minute

// claimRetry is how long Run waits after a failed claim.
const claimRetry = 5 * time.Second

// Run polls feeds as they come due until stop is closed, with the same
// workers, claims and batched saves as PollDue. It sleeps until the next
// feed is due (or wake fires, after the feed list changed) rather than
// polling an empty queue. When stop closes it starts nothing new and
// returns once the polls in flight have finished and their states are
// saved; cancelling ctx cuts those polls short (their items are either
// committed or not written at all).
func (p *Pipeline) Run(ctx context.Context, stop, wake <-chan struct{}) error {
	saves := newStateSaver(p.cfg.Store)
	c := newClaimed(p.cfg.Concurrency, p.cfg.Lease)
	go p.claimAsDue(ctx, stop, wake, c)
	p.pollStream(ctx, stop, c, mode{saves: saves}, func(FeedReport) {})
	saves.close()
	return nil
}

// untilNextDue is how long to sleep before the next feed is due.
func (p *Pipeline) untilNextDue(ctx context.Context) time.Duration {
	next, err := p.cfg.Store.NextDue(ctx)
	if err != nil || next.IsZero() {
		return idleCheck
	}
	// A due feed that is still unclaimed is leased by another worker: look
	// again in a second rather than spinning.
	return min(max(next.Sub(p.now()), time.Second), idleCheck)
}

func (p *Pipeline) beat() {
	if p.cfg.Beat != nil {
		p.cfg.Beat()
	}
}

func (p *Pipeline) sleep(ctx context.Context, stop, wake <-chan struct{}, d time.Duration) {
	if d <= 0 {
		d = time.Millisecond
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-stop:
	case <-wake:
	case <-ctx.Done():
	}
}
