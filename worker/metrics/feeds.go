package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wiresift/wiresift/worker/store"
)

// feedCollector reads the feed table at scrape time: the state of each feed
// lives in the database (other workers share it), not in this process.
type feedCollector struct {
	feeds   FeedLister
	now     func() time.Time
	timeout time.Duration

	byState *prometheus.Desc
	due     *prometheus.Desc
}

func newFeedCollector(o Options) *feedCollector {
	c := &feedCollector{feeds: o.Feeds, now: o.Now, timeout: o.ScrapeTimeout}
	if c.now == nil {
		c.now = time.Now
	}
	if c.timeout <= 0 {
		c.timeout = 5 * time.Second
	}
	c.byState = prometheus.NewDesc(namespace+"_feeds", "Feeds by state (active, blocked, gone, disabled).", []string{"state"}, nil)
	c.due = prometheus.NewDesc(namespace+"_queue_depth", "Feeds due for a poll now (active or blocked, next poll time passed), claimed or not.", nil, nil)
	return c
}

// Describe implements prometheus.Collector.
func (c *feedCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.byState
	ch <- c.due
}

// Collect implements prometheus.Collector.
func (c *feedCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	feeds, err := c.feeds.Feeds(ctx)
	if err != nil {
		err = fmt.Errorf("metrics: read feeds: %w", err)
		ch <- prometheus.NewInvalidMetric(c.byState, err)
		ch <- prometheus.NewInvalidMetric(c.due, err)
		return
	}
	counts, due := countFeeds(feeds, c.now())
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.byState, prometheus.GaugeValue, float64(n), state)
	}
	ch <- prometheus.MustNewConstMetric(c.due, prometheus.GaugeValue, float64(due))
}

// countFeeds counts feeds by state and those due at now.
func countFeeds(feeds []store.Feed, now time.Time) (byState map[string]int, due int) {
	// Every state is reported even when no feed has it, so that a
	// dashboard sees 0 rather than a missing series.
	byState = make(map[string]int, len(store.FeedStates))
	for _, s := range store.FeedStates {
		byState[string(s)] = 0
	}
	for _, f := range feeds {
		byState[string(f.State)]++
		polled := f.State == store.FeedActive || f.State == store.FeedBlocked
		if polled && !f.NextPollAt.After(now) {
			due++
		}
	}
	return byState, due
}
