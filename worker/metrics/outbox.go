package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wiresift/wiresift/worker/store"
)

// OutboxStater is what the webhook-backlog collector reads; store.Store has it.
type OutboxStater interface {
	OutboxStats(ctx context.Context) (store.OutboxStats, error)
}

// outboxCollector reads the webhook backlog at scrape time: other workers
// deliver from the same outbox.
type outboxCollector struct {
	outbox  OutboxStater
	now     func() time.Time
	timeout time.Duration

	backlog *prometheus.Desc
	oldest  *prometheus.Desc
}

func newOutboxCollector(o Options) *outboxCollector {
	c := &outboxCollector{outbox: o.Outbox, now: o.Now, timeout: o.ScrapeTimeout}
	if c.now == nil {
		c.now = time.Now
	}
	if c.timeout <= 0 {
		c.timeout = 5 * time.Second
	}
	c.backlog = prometheus.NewDesc(namespace+"_webhook_backlog", "Webhook events recorded and not yet acknowledged by the receiver.", nil, nil)
	c.oldest = prometheus.NewDesc(namespace+"_webhook_oldest_undelivered_seconds", "Age of the oldest undelivered webhook event (0 when none).", nil, nil)
	return c
}

// Describe implements prometheus.Collector.
func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.backlog
	ch <- c.oldest
}

// Collect implements prometheus.Collector.
func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	st, err := c.outbox.OutboxStats(ctx)
	if err != nil {
		err = fmt.Errorf("metrics: read webhook backlog: %w", err)
		ch <- prometheus.NewInvalidMetric(c.backlog, err)
		ch <- prometheus.NewInvalidMetric(c.oldest, err)
		return
	}
	age := 0.0
	if !st.Oldest.IsZero() {
		age = max(0, c.now().Sub(st.Oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(c.backlog, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age)
}
