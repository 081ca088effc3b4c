package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/postgres"
)

// TestWorkersOnPostgresNeverSendOneEventTwiceAtOnce runs three deliverers,
// each on its own connection pool as three workers would, against one
// receiver that fails every fifth request; it checks that no delivery id is
// ever in flight twice at the same moment, that each article's creation is
// acknowledged before its sightings, and that every event arrives.
func TestWorkersOnPostgresNeverSendOneEventTwiceAtOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	open := func() *postgres.Store {
		s, err := postgres.Open(ctx, dsn, pgtest.Schema(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	writer := open()
	writer.RecordEvents(true)
	for i := 0; i < 3; i++ {
		if err := writer.AddFeed(ctx, store.FeedConfig{URL: fmt.Sprintf("http://127.0.0.1/f%d.xml", i)}); err != nil {
			t.Fatal(err)
		}
	}
	feeds, err := writer.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const articles = 25
	for a := 0; a < articles; a++ {
		url := fmt.Sprintf("http://127.0.0.1/story/%d", a)
		for _, f := range feeds { // first feed creates, the others sight
			_, err := writer.Ingest(ctx, store.Sighting{FeedID: f.ID, FeedURL: f.URL, ItemKey: url, ItemURL: url,
				SeenAt: time.Now(), Article: store.ArticleData{URL: url, CanonicalURL: url, Title: url,
					Text: "text of " + url, TextSource: store.TextFromPage}})
			if err != nil {
				t.Fatal(err)
			}
		}
	}

	var (
		mu       sync.Mutex
		inFlight = map[string]int{}
		twice    []string
		order    = map[float64][]string{} // article id → acknowledged events
		acked    = map[string]bool{}
		requests atomic.Int64
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(HeaderDelivery)
		mu.Lock()
		inFlight[id]++
		if inFlight[id] > 1 {
			twice = append(twice, id)
		}
		mu.Unlock()
		defer func() { mu.Lock(); inFlight[id]--; mu.Unlock() }()
		body, _ := io.ReadAll(r.Body)
		time.Sleep(5 * time.Millisecond)
		if requests.Add(1)%5 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		var p struct {
			Event     string
			Article   struct{ ID float64 }
			ArticleID float64 `json:"article_id"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("body: %v", err)
		}
		art := p.ArticleID
		if p.Event != string(store.EventSighted) {
			art = p.Article.ID
		}
		mu.Lock()
		if !acked[id] {
			acked[id] = true
			order[art] = append(order[art], p.Event)
		}
		mu.Unlock()
	}))
	defer srv.Close()

	var wg sync.WaitGroup
	dctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for w := 0; w < 3; w++ {
		st := open()
		d, err := New(Config{URL: srv.URL, Store: st, Batch: 4, Parallel: 2, RetryMin: 10 * time.Millisecond, RetryMax: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dctx.Err() == nil {
				if _, err := d.Drain(dctx); err != nil && dctx.Err() == nil {
					t.Errorf("Drain: %v", err)
					return
				}
				ob, err := st.OutboxStats(dctx)
				if err != nil || ob.Pending == 0 {
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	wg.Wait()

	if len(twice) > 0 {
		t.Errorf("deliveries in flight twice at once: %v", twice)
	}
	if ob, err := writer.OutboxStats(ctx); err != nil || ob.Pending != 0 {
		t.Fatalf("backlog: want 0, got %+v, %v", ob, err)
	}
	if len(order) != articles {
		t.Fatalf("articles announced: want %d, got %d", articles, len(order))
	}
	for art, evs := range order {
		if len(evs) != 3 || evs[0] != string(store.EventCreated) {
			t.Errorf("article %v: want created then two sightings, got %v", art, evs)
		}
	}
	t.Logf("%d requests for %d events", requests.Load(), 3*articles)
}
