// Package metrics counts what the pipeline does, for Prometheus. It is a
// pipeline.Events receiver with its own registry (no global state), plus a
// collector that reads feed states and the due queue from the store at
// scrape time, so those gauges are never stale.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// namespace prefixes every metric name.
const namespace = "wiresift"

// Causes of a page fallback (wiresift_page_fallbacks_total).
const (
	causePageUnavailable  = "page_unavailable"  // fetch or extraction failed, or the item had no link
	causeExtractionWeaker = "extraction_weaker" // the page's text lost to the feed's own
)

// FeedLister is what the feed-state collector reads; store.Store has it.
type FeedLister interface {
	Feeds(ctx context.Context) ([]store.Feed, error)
}

// Options configures New. Zero values work: no Feeds means no feed gauges.
type Options struct {
	Feeds   FeedLister
	Outbox  OutboxStater // nil: no webhook gauges
	Version string
	// Now is the clock the queue depth is measured against (time.Now if nil).
	Now func() time.Time
	// ScrapeTimeout bounds the store query behind one scrape (5s if zero).
	ScrapeTimeout time.Duration
}

// Metrics receives pipeline events and serves them. Safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	polls         *prometheus.CounterVec
	httpStatus    *prometheus.CounterVec
	pollDuration  prometheus.Histogram
	pageDuration  prometheus.Histogram
	bytes         *prometheus.CounterVec
	stored        prometheus.Counter
	duplicates    *prometheus.CounterVec
	upgraded      prometheus.Counter
	itemErrors    prometheus.Counter
	pageFallbacks *prometheus.CounterVec
	lastPollOK    prometheus.Gauge
	dbErrors      *prometheus.CounterVec
	now           func() time.Time
}

// Operations whose database errors are counted (wiresift_database_errors_total).
const (
	opClaim = "claim" // leasing due feeds
	opStore = "store" // storing an item
)

// New builds the metrics on a fresh registry, with the Go runtime and
// process collectors beside wiresift's own.
func New(o Options) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), now: o.Now}
	if m.now == nil {
		m.now = time.Now
	}
	m.polls = m.counterVec("feed_polls_total", "Feed polls by outcome (ok, not_modified, unchanged, error, gone, blocked).", "outcome")
	m.httpStatus = m.counterVec("feed_http_responses_total", "HTTP status codes answered to feed requests.", "code")
	m.pollDuration = m.histogram("feed_poll_duration_seconds", "Time to poll one feed: fetch, parse and ingest of its new items.")
	m.pageDuration = m.histogram("page_fetch_duration_seconds", "Time to fetch and extract one article page.")
	m.bytes = m.counterVec("fetched_bytes_total", "Response body bytes fetched, after decompression, by kind (feed, page).", "kind")
	m.stored = m.counter("articles_stored_total", "New articles stored.")
	m.duplicates = m.counterVec("duplicates_dropped_total", "Sightings folded into an existing article, by reason (same_url, same_hash, near_duplicate).", "reason")
	m.upgraded = m.counter("articles_upgraded_total", "Stored articles whose text was replaced by a more complete copy.")
	m.itemErrors = m.counter("item_errors_total", "Feed items that could not be stored.")
	m.pageFallbacks = m.counterVec("page_fallbacks_total", "Items stored with the feed's own text instead of the page's, by cause (page_unavailable, extraction_weaker).", "cause")
	m.lastPollOK = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "last_successful_poll_timestamp_seconds",
		Help: "When a feed poll last succeeded, as a Unix time (0 until one has)."})
	m.reg.MustRegister(m.lastPollOK)
	m.dbErrors = m.counterVec("database_errors_total", "Database operations that failed, by operation (claim, store).", "op")
	for _, op := range []string{opClaim, opStore} {
		m.dbErrors.WithLabelValues(op)
	}

	// Known label values start at 0, so that rate() and alerts see a series
	// before the first event of its kind.
	for _, o := range []string{pipeline.OutcomeOK, pipeline.OutcomeNotModified, pipeline.OutcomeUnchanged,
		pipeline.OutcomeError, pipeline.OutcomeGone, pipeline.OutcomeBlocked} {
		m.polls.WithLabelValues(o)
	}
	for _, r := range []policy.Reason{store.ReasonSameURL, store.ReasonSameHash, store.ReasonNearDuplicate} {
		m.duplicates.WithLabelValues(string(r))
	}
	for _, k := range []string{"feed", "page"} {
		m.bytes.WithLabelValues(k)
	}
	for _, c := range []string{causePageUnavailable, causeExtractionWeaker} {
		m.pageFallbacks.WithLabelValues(c)
	}

	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	info := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "build_info",
		Help: "Always 1; the label gives the running version.", ConstLabels: prometheus.Labels{"version": o.Version}})
	info.Set(1)
	m.reg.MustRegister(info)
	if o.Feeds != nil {
		m.reg.MustRegister(newFeedCollector(o))
	}
	if o.Outbox != nil {
		m.reg.MustRegister(newOutboxCollector(o))
	}
	return m
}

// CountFurniture exports dropped, the running count of paragraphs dropped
// as their hosts' furniture (pipeline.FurnitureDropped), as a counter.
func (m *Metrics) CountFurniture(dropped func() int64) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Namespace: namespace,
		Name: "furniture_paragraphs_dropped_total",
		Help: "Paragraphs dropped from page texts because their host repeats them on many pages (-learn-furniture)."},
		func() float64 { return float64(dropped()) }))
}

// Handler serves the registry in the Prometheus text format. A failing
// store query drops only the feed gauges from that scrape, not the counters.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Registry is the registry the metrics live in, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// FeedDone implements pipeline.Events.
func (m *Metrics) FeedDone(r pipeline.FeedReport) {
	m.polls.WithLabelValues(r.Outcome).Inc()
	// Status 0 means no HTTP answer at all (DNS, refused, timeout): the
	// outcome counter has those as errors.
	if r.Status != 0 {
		m.httpStatus.WithLabelValues(strconv.Itoa(r.Status)).Inc()
	}
	if r.Duration > 0 {
		m.pollDuration.Observe(r.Duration.Seconds())
	}
	m.bytes.WithLabelValues("feed").Add(float64(r.Bytes))
	m.upgraded.Add(float64(r.Upgraded))
	if r.Err == nil {
		m.lastPollOK.Set(float64(m.now().UnixNano()) / 1e9)
	}
}

// ClaimDone counts a failed claim; pass it (with the health's) as
// pipeline.Config.ClaimDone.
func (m *Metrics) ClaimDone(err error) {
	if err != nil {
		m.dbErrors.WithLabelValues(opClaim).Inc()
	}
}

// ItemDone implements pipeline.Events.
func (m *Metrics) ItemDone(r pipeline.ItemReport) {
	if r.Bytes > 0 {
		m.bytes.WithLabelValues("page").Add(float64(r.Bytes))
	}
	if r.Fetch > 0 && r.URL != "" {
		m.pageDuration.Observe(r.Fetch.Seconds())
	}
	switch {
	case r.Err != nil:
		m.itemErrors.Inc()
		if !errors.Is(r.Err, context.Canceled) {
			m.dbErrors.WithLabelValues(opStore).Inc()
		}
		return
	case r.Reason == "":
		return // already seen: nothing was written
	case r.Reason == store.ReasonFirst:
		m.stored.Inc()
	default:
		m.duplicates.WithLabelValues(string(r.Reason)).Inc()
	}
	if r.TextSource == store.TextFromFeed {
		m.pageFallbacks.WithLabelValues(fallbackCause(r)).Inc()
	}
}

// fallbackCause tells a page that could not be had (fetch or extraction
// error, no link) from one whose extracted text lost to the feed's.
func fallbackCause(r pipeline.ItemReport) string {
	if r.FetchError != "" {
		return causePageUnavailable
	}
	return causeExtractionWeaker
}
