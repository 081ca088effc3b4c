package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/sqlite"
)

const secret = "s3cret"

// receiver records what it was sent; fail decides each answer's status.
type receiver struct {
	t    *testing.T
	mu   sync.Mutex
	got  []received
	fail func(n int) int // status for the n-th request (0-based); 0 means 204
}

type received struct {
	event, delivery string
	body            map[string]any
	signed          bool
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	n := len(r.got)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		r.t.Errorf("receiver: body is not JSON: %v: %s", err, body)
	}
	r.got = append(r.got, received{
		event:    req.Header.Get(HeaderEvent),
		delivery: req.Header.Get(HeaderDelivery),
		body:     m,
		signed:   Verify(secret, body, req.Header.Get(HeaderSignature)),
	})
	r.mu.Unlock()
	if req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
		r.t.Errorf("receiver: want a JSON POST, got %s %s", req.Method, req.Header.Get("Content-Type"))
	}
	status := http.StatusNoContent
	if r.fail != nil {
		if s := r.fail(n); s != 0 {
			status = s
		}
	}
	w.WriteHeader(status)
}

func (r *receiver) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// clock is a settable time source.
type clock struct{ now atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.now.Add(int64(d)) }

func newClock() *clock {
	c := &clock{}
	c.now.Store(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func openStore(t *testing.T) *sqlite.Store {
	t.Helper()
	schema, err := os.ReadFile(filepath.Join("..", "..", "schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"), string(schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.RecordEvents(true)
	return s
}

// ingest stores item key on feed n, its page at url with text.
func ingest(t *testing.T, s *sqlite.Store, at time.Time, feedURL, key, url, text string) store.Outcome {
	t.Helper()
	ctx := context.Background()
	if err := s.AddFeed(ctx, store.FeedConfig{URL: feedURL}); err != nil && !isExists(err) {
		t.Fatal(err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var f store.Feed
	for _, x := range feeds {
		if x.URL == feedURL {
			f = x
		}
	}
	out, err := s.Ingest(ctx, store.Sighting{
		FeedID: f.ID, FeedURL: f.URL, ItemKey: key, ItemURL: url, ItemTitle: "Headline " + key, SeenAt: at,
		Article: store.ArticleData{URL: url, CanonicalURL: url, Title: "Headline " + key, Text: text,
			ContentHash: fmt.Sprintf("%x", sha256.Sum256([]byte(text))), TextSource: store.TextFromPage},
		Print: dedup.Fingerprint{Words: 5},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func isExists(err error) bool { return errors.Is(err, store.ErrFeedExists) }

func newDeliverer(t *testing.T, s store.Outbox, url string, c *clock) *Deliverer {
	t.Helper()
	d, err := New(Config{URL: url, Secret: secret, Store: s, Now: c.Now, Timeout: 5 * time.Second,
		RetryMin: time.Second, RetryMax: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeliversSignedEventsInOrderPerArticle(t *testing.T) {
	s := openStore(t)
	c := newClock()
	rcv := &receiver{t: t}
	srv := httptest.NewServer(rcv)
	defer srv.Close()

	a := ingest(t, s, c.Now(), "http://127.0.0.1/f1.xml", "1", "http://127.0.0.1/one", "first story text")
	ingest(t, s, c.Now(), "http://127.0.0.1/f2.xml", "1", "http://127.0.0.1/one", "first story text") // same URL: sighted
	b := ingest(t, s, c.Now(), "http://127.0.0.1/f1.xml", "2", "http://127.0.0.1/two", "second story text")

	res, err := newDeliverer(t, s, srv.URL, c).Drain(context.Background())
	if err != nil || res.Delivered != 3 || res.Failed != 0 {
		t.Fatalf("Drain: want 3 delivered, got %+v, %v", res, err)
	}
	got := rcv.all()
	var order []string
	for _, r := range got {
		if !r.signed {
			t.Errorf("delivery %s: signature does not verify", r.delivery)
		}
		if r.event != r.body["event"] || r.delivery == "" {
			t.Errorf("headers: want event %v and a delivery id, got %q %q", r.body["event"], r.event, r.delivery)
		}
		switch r.event {
		case string(store.EventCreated):
			art, _ := r.body["article"].(map[string]any)
			order = append(order, fmt.Sprintf("created/%v", art["id"]))
			if art["text"] == "" || art["canonical_url"] == nil || art["sources"] == nil {
				t.Errorf("article.created: want the export object, got %v", art)
			}
		case string(store.EventSighted):
			src, _ := r.body["source"].(map[string]any)
			order = append(order, fmt.Sprintf("sighted/%v", r.body["article_id"]))
			if src["feed_url"] != "http://127.0.0.1/f2.xml" || src["reason"] != string(store.ReasonSameURL) {
				t.Errorf("article.sighted: want the second feed's same_url source, got %v", src)
			}
		}
	}
	// Within article a, creation before sighting; b is independent.
	pos := map[string]int{}
	for i, o := range order {
		pos[o] = i
	}
	ca, sa := fmt.Sprintf("created/%d", a.ArticleID), fmt.Sprintf("sighted/%d", a.ArticleID)
	if _, ok := pos[fmt.Sprintf("created/%d", b.ArticleID)]; !ok || pos[ca] > pos[sa] || len(order) != 3 {
		t.Errorf("deliveries: want both creations and a's sighting after its creation, got %v", order)
	}
	if ob, _ := s.OutboxStats(context.Background()); ob.Pending != 0 {
		t.Errorf("backlog after delivery: want 0, got %d", ob.Pending)
	}
}

func TestFailingReceiverGetsRetriesWithTheSameDeliveryID(t *testing.T) {
	s := openStore(t)
	c := newClock()
	down := atomic.Bool{}
	down.Store(true)
	rcv := &receiver{t: t, fail: func(int) int {
		if down.Load() {
			return http.StatusServiceUnavailable
		}
		return 0
	}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	ingest(t, s, c.Now(), "http://127.0.0.1/f1.xml", "1", "http://127.0.0.1/one", "first story text")
	ingest(t, s, c.Now(), "http://127.0.0.1/f2.xml", "1", "http://127.0.0.1/one", "first story text")
	d := newDeliverer(t, s, srv.URL, c)
	ctx := context.Background()

	// Down: the creation fails and waits 1s, 2s, 4s; the sighting waits behind it.
	for i, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		res, err := d.Drain(ctx)
		if err != nil || res.Failed != 1 || res.Delivered != 0 {
			t.Fatalf("attempt %d while down: want 1 failure, got %+v, %v", i+1, res, err)
		}
		c.advance(wait - time.Millisecond)
		if res, _ := d.Drain(ctx); res.Failed+res.Delivered != 0 {
			t.Fatalf("attempt %d: retried before its backoff of %v: %+v", i+1, wait, res)
		}
		c.advance(time.Millisecond)
	}
	down.Store(false)
	res, err := d.Drain(ctx)
	if err != nil || res.Delivered != 2 {
		t.Fatalf("after recovery: want both events delivered, got %+v, %v", res, err)
	}
	got := rcv.all()
	if len(got) != 5 {
		t.Fatalf("requests: want 4 tries of the creation and 1 sighting, got %d", len(got))
	}
	for i := 1; i < 4; i++ {
		if got[i].delivery != got[0].delivery || got[i].event != string(store.EventCreated) {
			t.Errorf("retry %d: want delivery %s of article.created again, got %s %s", i, got[0].delivery, got[i].event, got[i].delivery)
		}
	}
	if got[4].event != string(store.EventSighted) || got[4].delivery == got[0].delivery {
		t.Errorf("last request: want the sighting with its own delivery id, got %+v", got[4])
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	s := openStore(t)
	c := newClock()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	redirect := httptest.NewServer(http.RedirectHandler(other.URL, http.StatusTemporaryRedirect))
	defer redirect.Close()
	ingest(t, s, c.Now(), "http://127.0.0.1/f1.xml", "1", "http://127.0.0.1/one", "first story text")
	res, err := newDeliverer(t, s, redirect.URL, c).Drain(context.Background())
	if err != nil || res.Failed != 1 || res.Delivered != 0 {
		t.Fatalf("Drain against a redirect: want 1 failure, got %+v, %v", res, err)
	}
	if elsewhere.Load() != 0 {
		t.Errorf("the redirect target was sent %d requests; want none", elsewhere.Load())
	}
	if ob, _ := s.OutboxStats(context.Background()); ob.Pending != 1 {
		t.Errorf("backlog: want the event kept, got %d", ob.Pending)
	}
}

func TestDrainStopsAtTheDeadlineAndKeepsTheRest(t *testing.T) {
	s := openStore(t)
	c := newClock()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // a receiver that hangs until the test ends
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ingest(t, s, c.Now(), "http://127.0.0.1/f1.xml", "1", "http://127.0.0.1/one", "first story text")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res, err := newDeliverer(t, s, srv.URL, c).Drain(ctx)
	if err == nil && res.Failed == 0 {
		t.Fatalf("Drain against a hanging receiver: want it cut off, got %+v, %v", res, err)
	}
	if res.Delivered != 0 {
		t.Errorf("delivered: want 0, got %d", res.Delivered)
	}
	if ob, _ := s.OutboxStats(context.Background()); ob.Pending != 1 {
		t.Errorf("backlog after the deadline: want the event kept, got %d", ob.Pending)
	}
}

func TestSignature(t *testing.T) {
	// A fixed vector computed independently: printf '%s' '{"a":1}' | openssl dgst -sha256 -hmac key
	const want = "sha256=88a67f24bbcdaed0e6c997404bb79a743baf44c6bab2f4c27328e3009d22e342"
	got := Sign("key", []byte(`{"a":1}`))
	if !Verify("key", []byte(`{"a":1}`), got) || Verify("other", []byte(`{"a":1}`), got) || Verify("key", []byte(`{"a":2}`), got) {
		t.Errorf("Verify: want true only for the same key and body")
	}
	if got != want {
		t.Errorf("Sign: want %s, got %s", want, got)
	}
}

func TestBackoff(t *testing.T) {
	d, err := New(Config{URL: "http://127.0.0.1/hook", Store: openStore(t), RetryMin: time.Second, RetryMax: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		attempt int
		want    time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {4, 8 * time.Second}, {5, 10 * time.Second}, {60, 10 * time.Second}} {
		if got := d.backoff(c.attempt); got != c.want {
			t.Errorf("backoff after failure %d: want %v, got %v", c.attempt, c.want, got)
		}
	}
}

func TestNewRefusesABadURL(t *testing.T) {
	for _, u := range []string{"", "hook", "ftp://127.0.0.1/x", "http://", "://x"} {
		if _, err := New(Config{URL: u, Store: openStore(t)}); !errors.Is(err, ErrBadURL) {
			t.Errorf("New(%q): want ErrBadURL, got %v", u, err)
		}
	}
}
