package metrics

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// value finds one sample in the registry by name and labels ("k=v" pairs);
// ok is false when no such series exists.
func value(t *testing.T, m *Metrics, name string, labels ...string) (float64, bool) {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, s := range f.GetMetric() {
			if !hasLabels(s, labels) {
				continue
			}
			switch {
			case s.Counter != nil:
				return s.Counter.GetValue(), true
			case s.Gauge != nil:
				return s.Gauge.GetValue(), true
			case s.Histogram != nil:
				return float64(s.Histogram.GetSampleCount()), true
			}
		}
	}
	return 0, false
}

func hasLabels(s *dto.Metric, want []string) bool {
	have := map[string]string{}
	for _, l := range s.GetLabel() {
		have[l.GetName()] = l.GetValue()
	}
	for _, kv := range want {
		k, v, _ := strings.Cut(kv, "=")
		if have[k] != v {
			return false
		}
	}
	return true
}

func TestEventsBecomeCounters(t *testing.T) {
	m := New(Options{Version: "test"})
	m.FeedDone(pipeline.FeedReport{URL: "http://a/feed", Outcome: pipeline.OutcomeOK, Status: 200, Bytes: 1000, Duration: 300 * time.Millisecond, Upgraded: 1})
	m.FeedDone(pipeline.FeedReport{URL: "http://b/feed", Outcome: pipeline.OutcomeNotModified, Status: 304, Duration: 10 * time.Millisecond})
	m.FeedDone(pipeline.FeedReport{URL: "http://c/feed", Outcome: pipeline.OutcomeError, Status: 500})
	m.FeedDone(pipeline.FeedReport{URL: "http://d/feed", Outcome: pipeline.OutcomeError, Err: errors.New("connection refused")})
	m.ItemDone(pipeline.ItemReport{URL: "http://a/1", Reason: store.ReasonFirst, TextSource: store.TextFromPage, Bytes: 5000, Fetch: time.Second})
	m.ItemDone(pipeline.ItemReport{URL: "http://a/2", Reason: store.ReasonFirst, TextSource: store.TextFromFeed, FetchError: "404 Not Found", Fetch: time.Millisecond})
	m.ItemDone(pipeline.ItemReport{URL: "http://a/3", Reason: store.ReasonNearDuplicate, TextSource: store.TextFromFeed, Bytes: 700, Fetch: time.Millisecond})
	m.ItemDone(pipeline.ItemReport{URL: "http://a/4", Reason: store.ReasonSameURL, TextSource: store.TextFromPage, Bytes: 300, Fetch: time.Millisecond})
	m.ItemDone(pipeline.ItemReport{URL: "http://a/5", Err: errors.New("disk full"), Bytes: 10, Fetch: time.Millisecond})
	m.ItemDone(pipeline.ItemReport{URL: "http://a/6"}) // already seen: counts nothing

	tests := []struct {
		name   string
		metric string
		labels []string
		want   float64
	}{
		{"ok polls", "wiresift_feed_polls_total", []string{"outcome=ok"}, 1},
		{"not-modified polls", "wiresift_feed_polls_total", []string{"outcome=not_modified"}, 1},
		{"failed polls", "wiresift_feed_polls_total", []string{"outcome=error"}, 2},
		{"status 200", "wiresift_feed_http_responses_total", []string{"code=200"}, 1},
		{"status 304", "wiresift_feed_http_responses_total", []string{"code=304"}, 1},
		{"status 500", "wiresift_feed_http_responses_total", []string{"code=500"}, 1},
		{"poll latency samples", "wiresift_feed_poll_duration_seconds", nil, 2},
		{"page latency samples", "wiresift_page_fetch_duration_seconds", nil, 5},
		{"feed bytes", "wiresift_fetched_bytes_total", []string{"kind=feed"}, 1000},
		{"page bytes", "wiresift_fetched_bytes_total", []string{"kind=page"}, 6010},
		{"stored", "wiresift_articles_stored_total", nil, 2},
		{"near duplicates", "wiresift_duplicates_dropped_total", []string{"reason=near_duplicate"}, 1},
		{"same-url duplicates", "wiresift_duplicates_dropped_total", []string{"reason=same_url"}, 1},
		{"upgraded", "wiresift_articles_upgraded_total", nil, 1},
		{"item errors", "wiresift_item_errors_total", nil, 1},
		{"page unavailable", "wiresift_page_fallbacks_total", []string{"cause=page_unavailable"}, 1},
		{"extraction weaker", "wiresift_page_fallbacks_total", []string{"cause=extraction_weaker"}, 1},
		{"build info", "wiresift_build_info", []string{"version=test"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := value(t, m, tc.metric, tc.labels...)
			if !ok {
				t.Fatalf("%s%v: no such series, want %v", tc.metric, tc.labels, tc.want)
			}
			if got != tc.want {
				t.Errorf("%s%v = %v, want %v", tc.metric, tc.labels, got, tc.want)
			}
		})
	}
	if _, ok := value(t, m, "wiresift_feed_http_responses_total", "code=0"); ok {
		t.Error("a poll without an HTTP answer was counted as status 0")
	}
}

type fakeFeeds struct {
	feeds []store.Feed
	err   error
}

func (f fakeFeeds) Feeds(context.Context) ([]store.Feed, error) { return f.feeds, f.err }

func TestFeedGaugesReadTheStore(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	feed := func(state store.FeedState, next time.Time) store.Feed {
		return store.Feed{State: state, NextPollAt: next}
	}
	m := New(Options{Now: func() time.Time { return now }, Feeds: fakeFeeds{feeds: []store.Feed{
		feed(store.FeedActive, now.Add(-time.Minute)), // due
		feed(store.FeedActive, now),                   // due exactly now
		feed(store.FeedActive, now.Add(time.Hour)),    // later
		feed(store.FeedBlocked, now.Add(-time.Hour)),  // due: blocked feeds are still polled
		feed(store.FeedGone, now.Add(-time.Hour)),     // never polled
		feed(store.FeedDisabled, time.Time{}),         // never polled
	}}})
	tests := []struct {
		metric string
		labels []string
		want   float64
	}{
		{"wiresift_feeds", []string{"state=active"}, 3},
		{"wiresift_feeds", []string{"state=blocked"}, 1},
		{"wiresift_feeds", []string{"state=gone"}, 1},
		{"wiresift_feeds", []string{"state=disabled"}, 1},
		{"wiresift_queue_depth", nil, 3},
	}
	for _, tc := range tests {
		got, ok := value(t, m, tc.metric, tc.labels...)
		if !ok || got != tc.want {
			t.Errorf("%s%v = %v (present %v), want %v", tc.metric, tc.labels, got, ok, tc.want)
		}
	}
}

func TestStoreFailureKeepsTheCountersServed(t *testing.T) {
	m := New(Options{Feeds: fakeFeeds{err: errors.New("database is locked")}})
	m.ItemDone(pipeline.ItemReport{URL: "http://a/1", Reason: store.ReasonFirst, TextSource: store.TextFromPage})
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 {
		t.Fatalf("status = %d with a failing store, want 200 (counters still served)\n%s", rec.Code, body)
	}
	if !strings.Contains(string(body), "wiresift_articles_stored_total 1") {
		t.Errorf("scrape lacks wiresift_articles_stored_total 1:\n%s", body)
	}
	if strings.Contains(string(body), "wiresift_queue_depth ") {
		t.Errorf("scrape has a queue depth although the store failed:\n%s", body)
	}
}

func TestKnownSeriesStartAtZero(t *testing.T) {
	m := New(Options{})
	for _, tc := range []struct {
		metric string
		label  string
	}{
		{"wiresift_feed_polls_total", "outcome=error"},
		{"wiresift_feed_polls_total", "outcome=gone"},
		{"wiresift_duplicates_dropped_total", "reason=same_hash"},
		{"wiresift_fetched_bytes_total", "kind=page"},
		{"wiresift_page_fallbacks_total", "cause=page_unavailable"},
		{"wiresift_articles_stored_total", ""},
	} {
		got, ok := value(t, m, tc.metric, tc.label)
		if !ok || got != 0 {
			t.Errorf("fresh %s{%s} = %v (present %v), want a series at 0", tc.metric, tc.label, got, ok)
		}
	}
}

// TestProgressAndDatabaseErrorMetrics: the time of the last successful poll
// moves only with a poll that worked; failed claims and stores are counted
// as database errors, a shutdown's cancelled items are not.
func TestProgressAndDatabaseErrorMetrics(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	m := New(Options{Now: func() time.Time { return now }})
	if v, _ := value(t, m, "wiresift_last_successful_poll_timestamp_seconds"); v != 0 {
		t.Errorf("last successful poll before any poll = %v, want 0", v)
	}
	m.FeedDone(pipeline.FeedReport{Outcome: pipeline.OutcomeOK, Status: 200})
	now = now.Add(time.Hour)
	m.FeedDone(pipeline.FeedReport{Outcome: pipeline.OutcomeError, Err: errors.New("connection refused")})
	if v, _ := value(t, m, "wiresift_last_successful_poll_timestamp_seconds"); v != float64(now.Add(-time.Hour).Unix()) {
		t.Errorf("last successful poll = %v, want the first poll's %v", v, now.Add(-time.Hour).Unix())
	}
	m.ClaimDone(errors.New("connection refused"))
	m.ClaimDone(errors.New("connection refused"))
	m.ClaimDone(nil)
	m.ItemDone(pipeline.ItemReport{Err: errors.New("disk I/O error")})
	m.ItemDone(pipeline.ItemReport{Err: context.Canceled})
	for _, tc := range []struct {
		op   string
		want float64
	}{{"claim", 2}, {"store", 1}} {
		if v, ok := value(t, m, "wiresift_database_errors_total", "op="+tc.op); !ok || v != tc.want {
			t.Errorf("database errors op=%s = %v (present %v), want %v", tc.op, v, ok, tc.want)
		}
	}
}

func TestFurnitureCounterReadsThePipeline(t *testing.T) {
	m := New(Options{})
	var dropped int64 = 7
	m.CountFurniture(func() int64 { return dropped })
	for _, want := range []float64{7, 9} {
		dropped = int64(want)
		if got, ok := value(t, m, "wiresift_furniture_paragraphs_dropped_total"); !ok || got != want {
			t.Errorf("wiresift_furniture_paragraphs_dropped_total = %v (found %v), want %v", got, ok, want)
		}
	}
}
