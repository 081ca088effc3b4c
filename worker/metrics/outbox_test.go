package metrics

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

type fakeOutbox struct {
	st  store.OutboxStats
	err error
}

func (f fakeOutbox) OutboxStats(context.Context) (store.OutboxStats, error) { return f.st, f.err }

func TestWebhookGaugesReadTheOutbox(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name            string
		outbox          fakeOutbox
		backlog, oldest float64
		present         bool
	}{
		{"Backlog", fakeOutbox{st: store.OutboxStats{Pending: 7, Oldest: now.Add(-90 * time.Second)}}, 7, 90, true},
		{"Empty", fakeOutbox{}, 0, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := New(Options{Now: func() time.Time { return now }, Outbox: c.outbox})
			b, okB := value(t, m, "wiresift_webhook_backlog")
			o, okO := value(t, m, "wiresift_webhook_oldest_undelivered_seconds")
			if okB != c.present || okO != c.present || b != c.backlog || o != c.oldest {
				t.Errorf("backlog %v (present %v), oldest %v (present %v); want %v, %v, present %v",
					b, okB, o, okO, c.backlog, c.oldest, c.present)
			}
		})
	}
}

func TestWebhookGaugesDropOutWhenTheStoreFails(t *testing.T) {
	m := New(Options{Outbox: fakeOutbox{err: errors.New("database is locked")}})
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "wiresift_articles_stored_total 0") {
		t.Fatalf("scrape with a failing outbox: want 200 with the counters, got %d\n%s", rec.Code, body)
	}
	if strings.Contains(body, "wiresift_webhook_backlog ") {
		t.Errorf("scrape has a webhook backlog although the store failed:\n%s", body)
	}
}
