package status

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// fakeStore serves fixed feeds and articles, or fails with err.
type fakeStore struct {
	feeds   []store.Feed
	latest  []store.Article
	top     []store.Article
	err     error
	nextErr error
	listErr error
}

func (s *fakeStore) Feeds(context.Context) ([]store.Feed, error) { return s.feeds, s.err }
func (s *fakeStore) NextDue(context.Context) (time.Time, error)  { return time.Time{}, s.nextErr }
func (s *fakeStore) LatestArticles(context.Context, int) ([]store.Article, error) {
	return s.latest, s.listErr
}
func (s *fakeStore) TopSyndicated(context.Context, int) ([]store.Article, error) {
	return s.top, s.listErr
}

// clock is a settable fake time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

func TestHealthzNeedsARecentBeatAndADatabase(t *testing.T) {
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		beatAt   *time.Duration // when the last beat was, relative to the check; nil: never
		dbErr    error
		want     int
		wantBody string
	}{
		{"never beat", nil, nil, 503, "not started"},
		{"fresh beat", ptr(-10 * time.Second), nil, 200, "ok"},
		{"beat just inside the limit", ptr(-DefaultStaleAfter), nil, 200, "ok"},
		{"stale beat", ptr(-DefaultStaleAfter - time.Second), nil, 503, "no loop turn"},
		{"fresh beat, database down", ptr(-time.Second), errors.New("sqlite: disk I/O error"), 503, "disk I/O error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &clock{t: start}
			h := New(Config{Store: &fakeStore{nextErr: tc.dbErr}, Now: c.now})
			if tc.beatAt != nil {
				c.t = start.Add(*tc.beatAt)
				h.Beat()
				c.t = start
			}
			code, body := get(t, h, "/healthz")
			if code != tc.want || !strings.Contains(body, tc.wantBody) {
				t.Errorf("GET /healthz = %d %q, want %d containing %q", code, body, tc.want, tc.wantBody)
			}
		})
	}
}

func ptr(d time.Duration) *time.Duration { return &d }

func TestMetricsAreServedWhenGiven(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "wiresift_up 1\n") })
	if code, body := get(t, New(Config{Store: &fakeStore{}, Metrics: metrics}), "/metrics"); code != 200 || body != "wiresift_up 1\n" {
		t.Errorf("GET /metrics = %d %q, want the metrics handler's answer", code, body)
	}
	if code, _ := get(t, New(Config{Store: &fakeStore{}}), "/metrics"); code != 404 {
		t.Errorf("GET /metrics without a metrics handler = %d, want 404", code)
	}
	if code, _ := get(t, New(Config{Store: &fakeStore{}}), "/nothing-here"); code != 404 {
		t.Errorf("GET /nothing-here = %d, want 404", code)
	}
}

func TestDistinctSites(t *testing.T) {
	src := func(u, feed string) store.Source { return store.Source{URL: u, FeedURL: feed} }
	tests := []struct {
		name    string
		sources []store.Source
		want    int
	}{
		{"none", nil, 0},
		{"one", []store.Source{src("https://a.example/1", "")}, 1},
		{"two feeds of one site", []store.Source{src("https://a.example/1", "https://a.example/rss"), src("https://a.example/world/1", "https://a.example/world/rss")}, 1},
		{"www is the same site", []store.Source{src("https://www.a.example/1", ""), src("https://A.example/2", "")}, 1},
		{"three sites", []store.Source{src("https://a.example/1", ""), src("https://b.example/1", ""), src("http://c.example/x", "")}, 3},
		{"feed URL when the page URL is missing", []store.Source{src("", "https://a.example/rss"), src("https://b.example/1", "")}, 2},
		{"different ports are different sites", []store.Source{src("http://127.0.0.1:8001/a", ""), src("http://127.0.0.1:8002/a", "")}, 2},
	}
	for _, tc := range tests {
		if got := distinctSites(tc.sources); got != tc.want {
			t.Errorf("%s: distinctSites = %d, want %d", tc.name, got, tc.want)
		}
	}
}
