// Package webhook delivers the store's outbox to the operator's receiver:
// one signed JSON POST per event, at least once, in order per article, with
// retries and backoff. It reads events the ingest transactions recorded, so
// a slow or dead receiver never holds up ingest, and a crash loses nothing
// (an event is removed only once a 2xx acknowledged it).
package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// Defaults for the zero Config fields.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultBatch    = 32
	DefaultParallel = 4
	DefaultIdle     = time.Second
	DefaultRetryMin = time.Second
	DefaultRetryMax = 10 * time.Minute
)

// ErrBadURL: the webhook URL is not an absolute http(s) URL.
var ErrBadURL = errors.New("webhook: URL must be absolute http:// or https://")

// Config sets up a Deliverer. URL and Store are required.
type Config struct {
	// URL is the receiver, the operator's own: it may be a private address
	// (no guard), and is never taken from a feed or a page.
	URL    string
	Secret string // signs each body (X-Wiresift-Signature); "" sends unsigned
	Store  store.Outbox
	// Client sends the requests; nil builds one that follows no redirect.
	// A given client's redirects are turned off too.
	Client    *http.Client
	UserAgent string
	Timeout   time.Duration // one delivery, body included
	// Lease is how long a claimed event stays reserved for this deliverer:
	// longer than a delivery can take, so two never send one at once.
	Lease    time.Duration // 0: Timeout plus 5s
	Batch    int           // events claimed at a time
	Parallel int           // deliveries in flight (each to a different article)
	Idle     time.Duration // Run's wait when nothing is due
	// RetryMin and RetryMax bound the backoff: the n-th failure waits
	// RetryMin·2^(n-1), at most RetryMax.
	RetryMin, RetryMax time.Duration
	Now                func() time.Time
	Logger             *slog.Logger
}

// Deliverer sends outbox events to the receiver.
type Deliverer struct {
	c      Config
	client *http.Client
}

// New checks the configuration and fills its defaults.
func New(c Config) (*Deliverer, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q", ErrBadURL, c.URL)
	}
	if c.Store == nil {
		return nil, errors.New("webhook: no store")
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Lease <= 0 {
		c.Lease = c.Timeout + 5*time.Second
	}
	if c.Batch <= 0 {
		c.Batch = DefaultBatch
	}
	if c.Parallel <= 0 {
		c.Parallel = DefaultParallel
	}
	if c.Idle <= 0 {
		c.Idle = DefaultIdle
	}
	if c.RetryMin <= 0 {
		c.RetryMin = DefaultRetryMin
	}
	if c.RetryMax < c.RetryMin {
		c.RetryMax = max(DefaultRetryMax, c.RetryMin)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	client := &http.Client{}
	if c.Client != nil {
		cp := *c.Client
		client = &cp
	}
	// A redirect would send the body, signed, somewhere the operator did
	// not name: it counts as a failed delivery instead.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Deliverer{c: c, client: client}, nil
}

// Result counts what a pass did.
type Result struct {
	Delivered int // acknowledged by a 2xx
	Failed    int // attempts that failed and were put back for a retry
	Dropped   int // events whose article no longer exists
}

func (r *Result) add(o Result) {
	r.Delivered += o.Delivered
	r.Failed += o.Failed
	r.Dropped += o.Dropped
}

// Drain delivers the events due now, batch after batch, until none is due
// or ctx ends. A failed event waits for its retry time, so Drain returns
// without it: a one-shot poll leaves it for the next run.
func (d *Deliverer) Drain(ctx context.Context) (Result, error) {
	var total Result
	for ctx.Err() == nil {
		r, n, err := d.round(ctx)
		total.add(r)
		if err != nil {
			return total, err
		}
		if n == 0 {
			return total, nil
		}
	}
	return total, ctx.Err()
}

// Run delivers until quit closes or ctx ends, waiting Idle whenever nothing
// is due. On quit it makes a last pass over what is due and returns; ctx
// ending cuts that short (the rest stays in the outbox). A store error is
// logged and retried after Idle: the receiver and the database may both
// come back.
func (d *Deliverer) Run(ctx context.Context, quit <-chan struct{}) Result {
	var total Result
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		last := false
		select {
		case <-ctx.Done():
			return total
		case <-quit:
			last = true
		case <-t.C:
		}
		r, err := d.Drain(ctx)
		total.add(r)
		if err != nil && ctx.Err() == nil {
			d.c.Logger.Warn("webhook: delivery pass failed", "err", err)
		}
		if last {
			return total
		}
		t.Reset(d.c.Idle)
	}
}

// round claims one batch and delivers it; n is how many were claimed.
func (d *Deliverer) round(ctx context.Context) (Result, int, error) {
	evs, err := d.c.Store.ClaimEvents(ctx, d.c.Now(), d.c.Batch, d.c.Lease)
	if err != nil {
		return Result{}, 0, fmt.Errorf("webhook: claim events: %w", err)
	}
	// A claim holds at most one event per article, so the batch may go out
	// in parallel without reordering any article's events.
	var (
		mu    sync.Mutex
		res   Result
		first error
		wg    sync.WaitGroup
		sem   = make(chan struct{}, d.c.Parallel)
	)
	for _, ev := range evs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			r, err := d.deliver(ctx, ev)
			mu.Lock()
			defer mu.Unlock()
			res.add(r)
			if err != nil && first == nil {
				first = err
			}
		}()
	}
	wg.Wait()
	return res, len(evs), first
}

// deliver sends one event and records the answer. Only a store error is
// returned: a receiver's failure is an attempt, put back for a retry.
func (d *Deliverer) deliver(ctx context.Context, ev store.Event) (Result, error) {
	body, err := eventBody(ctx, d.c.Store, ev)
	if errors.Is(err, store.ErrNotFound) {
		// Merged into another article since: its sightings moved there.
		d.c.Logger.Info("webhook: dropping event of an article that no longer exists",
			"event", ev.Kind, "article", ev.ArticleID, "delivery", ev.Delivery)
		return Result{Dropped: 1}, d.c.Store.EventDelivered(ctx, ev.ID)
	}
	if err != nil {
		return Result{}, fmt.Errorf("webhook: event %s: %w", ev.Delivery, err)
	}
	sendErr := d.send(ctx, ev, body)
	if sendErr == nil {
		if err := d.c.Store.EventDelivered(context.WithoutCancel(ctx), ev.ID); err != nil {
			return Result{}, fmt.Errorf("webhook: event %s delivered: %w", ev.Delivery, err)
		}
		return Result{Delivered: 1}, nil
	}
	wait := d.backoff(ev.Attempts + 1)
	d.c.Logger.Warn("webhook: delivery failed", "event", ev.Kind, "article", ev.ArticleID,
		"delivery", ev.Delivery, "attempt", ev.Attempts+1, "retry_in", wait, "err", sendErr)
	if err := d.c.Store.RetryEvent(context.WithoutCancel(ctx), ev.ID, d.c.Now().Add(wait), sendErr.Error()); err != nil {
		return Result{}, fmt.Errorf("webhook: event %s: %w", ev.Delivery, err)
	}
	return Result{Failed: 1}, nil
}

// backoff is the wait after the n-th failed attempt.
func (d *Deliverer) backoff(n int) time.Duration {
	w := d.c.RetryMin
	for i := 1; i < n && w < d.c.RetryMax; i++ {
		w *= 2
	}
	return min(w, d.c.RetryMax)
}
