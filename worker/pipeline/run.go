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

// After a failed claim Run waits claimRetry, doubling with each failure in
// a row up to claimRetryMax: a database that restarts is back within
// seconds, one that is down for an hour is not hammered.
const (
	claimRetry    = time.Second
	claimRetryMax = 30 * time.Second
)

// outage tracks failed claims in a row, for the backoff and for one log
// line when the database goes away and one when it is back.
type outage struct {
	since    time.Time
	failures int
}

// failed records a failed claim and returns how long to wait.
func (o *outage) failed(p *Pipeline, err error) time.Duration {
	o.failures++
	wait := min(claimRetry<<min(o.failures-1, 10), claimRetryMax)
	if o.failures == 1 {
		o.since = p.now()
		p.log.Error("database unavailable: cannot claim feeds; retrying with backoff", "err", err, "retry_in", wait)
	} else {
		p.log.Warn("database still unavailable", "err", err, "failures", o.failures,
			"down_for", p.now().Sub(o.since).Round(time.Second), "retry_in", wait)
	}
	return wait
}

// recovered records a claim that worked; after an outage it says so once.
func (o *outage) recovered(p *Pipeline) {
	if o.failures > 0 {
		p.log.Info("database reachable again; polling resumes", "down_for", p.now().Sub(o.since).Round(time.Millisecond),
			"failed_claims", o.failures)
	}
	*o = outage{}
}

// Run polls feeds as they come due until stop is closed, with the same
// workers, claims and batched saves as PollDue. It sleeps until the next
// feed is due (or wake fires, after the feed list changed) rather than
// polling an empty queue. When stop closes it starts nothing new and
// returns once the polls in flight have finished and their states are
// saved; cancelling ctx cuts those polls short (their items are either
// committed or not written at all).
func (p *Pipeline) Run(ctx context.Context, stop, wake <-chan struct{}) error {
	saves := newStateSaver(p.cfg.Store)
	c := newClaimed(p.cfg.Concurrency, p.cfg.Lease, p.cfg.ClaimBatch)
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
