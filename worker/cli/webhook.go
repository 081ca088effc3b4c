package cli

import (
	"context"
	"flag"
	"log/slog"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/webhook"
)

func webhookFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.webhook, "webhook", "", "POST each new article, sighting and text update as JSON to this URL (your own: private addresses allowed)")
	fs.StringVar(&o.webhookSecret, "webhook-secret", "", "sign each webhook body: X-Wiresift-Signature: sha256=<hex HMAC-SHA256 of the body>")
	fs.DurationVar(&o.webhookTimeout, "webhook-timeout", webhook.DefaultTimeout, "deadline for one webhook delivery; an event in flight stays reserved for this plus 5s")
}

// hook delivers the outbox beside the pipeline; nil when no -webhook.
type hook struct {
	st     store.Store
	grace  time.Duration
	log    *slog.Logger
	quit   chan struct{}
	cancel context.CancelFunc
	done   chan webhook.Result
	once   sync.Once
}

// startWebhook turns the outbox on and delivers it in the background, so
// that ingest never waits for the receiver.
func (e *env) startWebhook(ctx context.Context, st store.Store, log *slog.Logger) (*hook, error) {
	if e.opts.webhook == "" {
		return nil, nil
	}
	d, err := webhook.New(webhook.Config{URL: e.opts.webhook, Secret: e.opts.webhookSecret, Store: st,
		UserAgent: e.userAgent(), Timeout: e.opts.webhookTimeout, Logger: log})
	if err != nil {
		return nil, usagef("-webhook: %v", err)
	}
	st.RecordEvents(true)
	// Delivery outlives the first signal: finish gives it -grace.
	run, cancel := context.WithCancel(context.WithoutCancel(ctx))
	h := &hook{st: st, grace: e.opts.grace, log: log, quit: make(chan struct{}), cancel: cancel, done: make(chan webhook.Result, 1)}
	go func() { h.done <- d.Run(run, h.quit) }()
	return h, nil
}

// finish lets the deliverer send what is due within -grace, then stops it;
// what is left waits in the outbox for the next run. Later calls do nothing.
func (h *hook) finish() {
	if h != nil {
		h.once.Do(h.stop)
	}
}

func (h *hook) stop() {
	close(h.quit)
	t := time.AfterFunc(h.grace, h.cancel)
	res := <-h.done
	t.Stop()
	h.cancel()
	args := []any{"delivered", res.Delivered, "failed", res.Failed}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if ob, err := h.st.OutboxStats(ctx); err == nil {
		args = append(args, "left", ob.Pending)
	}
	h.log.Info("webhook: delivery stopped", args...)
}
