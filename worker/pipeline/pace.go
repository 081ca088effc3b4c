package pipeline

import (
	"math"
	"sync/atomic"
	"time"
)

// pace sizes claims from how long polls take, so that a worker never holds
// more claimed feeds than it can start well within their lease: the others
// sharing the database would find those feeds leased but not polled, and a
// feed that waited past its lease is polled twice.
type pace struct {
	concurrency int
	most        int // the largest batch
	lease       time.Duration
	avg         atomic.Int64 // moving average of one poll, in nanoseconds
}

// assumedPoll stands in for the average until a poll has been timed.
const assumedPoll = time.Second

func newPace(concurrency int, lease time.Duration, most int) *pace {
	p := &pace{concurrency: concurrency, lease: lease, most: most}
	p.avg.Store(int64(assumedPoll))
	return p
}

// observe folds one poll's duration into the average (weight 1/8).
func (p *pace) observe(d time.Duration) {
	for {
		old := p.avg.Load()
		next := old + (int64(d)-old)/8
		if p.avg.CompareAndSwap(old, next) {
			return
		}
	}
}

// batch is how many feeds to claim at a time. A worker holds at most two
// batches unstarted, and those start within a quarter of the lease at the
// average pace: batch = concurrency x (lease/4) / average poll / 2, between
// concurrency and the most.
func (p *pace) batch() int {
	avg := max(time.Duration(p.avg.Load()), time.Microsecond)
	n := int(math.Round(float64(p.concurrency) * float64(p.lease/4) / float64(avg) / 2))
	return min(max(n, p.concurrency), p.most)
}
