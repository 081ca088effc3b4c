package fetch

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// errWholeRequest is the cancel cause when Config.Timeout runs out.
var errWholeRequest = fmt.Errorf("%w: whole-request limit reached", ErrTimeout)

// requestClock starts a request's whole-request timeout when the request
// first gets past the host gate, not when Get is called: a backfill queued
// behind a per-host gap is waiting politely, not failing to get an answer.
type requestClock struct {
	once   sync.Once
	limit  time.Duration
	cancel context.CancelCauseFunc
	timer  *time.Timer
}

type clockKey struct{}

// withClock returns a context cancelled limit after clockFrom(ctx).start(),
// using clock, which the caller allocates with the rest of its request.
func withClock(parent context.Context, limit time.Duration, clock *requestClock) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	clock.limit, clock.cancel = limit, cancel
	return context.WithValue(ctx, clockKey{}, clock), func() {
		clock.once.Do(func() {}) // a start after this must not arm a timer
		if clock.timer != nil {
			clock.timer.Stop()
		}
		cancel(nil)
	}
}

func (c *requestClock) start() {
	c.once.Do(func() {
		c.timer = time.AfterFunc(c.limit, func() { c.cancel(errWholeRequest) })
	})
}

// startClock arms the timeout of the request that ctx belongs to, if any.
func startClock(ctx context.Context) {
	if c, ok := ctx.Value(clockKey{}).(*requestClock); ok {
		c.start()
	}
}
