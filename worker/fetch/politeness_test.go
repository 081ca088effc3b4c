package fetch

import (
	"context"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPerHostConcurrencyLimit(t *testing.T) {
	const slots, requests = 2, 6
	var inFlight, peak atomic.Int32
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-release
		w.Write([]byte(rssBody))
	})
	cfg := testConfig(t, srv.Listener.Addr().String())
	cfg.PerHostConcurrency = slots
	cfg.Timeout = time.Minute
	c := New(cfg)

	var wg sync.WaitGroup
	errs := make(chan error, requests)
	for range requests {
		wg.Go(func() {
			_, err := c.Get(context.Background(), Request{URL: srv.URL})
			errs <- err
		})
	}
	// Wait until the slots are taken, then give the other requests time to
	// (wrongly) arrive before letting any finish.
	for inFlight.Load() < slots {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := peak.Load(); got != slots {
		t.Fatalf("peak concurrent requests to one host = %d, want %d", got, slots)
	}
}

func TestPerHostGap(t *testing.T) {
	const gap = 50 * time.Millisecond
	var mu sync.Mutex
	var arrivals []time.Time
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		w.Write([]byte(rssBody))
	})
	// A site's name, not the loopback address itself: loopback hosts get no
	// gap (TestLoopbackHostsGetNoGap).
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	cfg := testConfig(t, addr)
	cfg.Resolver = fakeResolver(map[string][]string{"gap.example": {"127.0.0.1"}})
	cfg.PerHostConcurrency = 4
	cfg.PerHostGap = gap
	cfg.Timeout = time.Minute
	c := New(cfg)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), Request{URL: "http://gap.example:" + port + "/"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// Starts are spaced by the gap; arrivals add a little network jitter, so
	// the span is checked with half a gap of slack. Without the gap the four
	// requests would arrive within a millisecond or two. A lower bound only: a
	// slow machine makes the span longer, never shorter.
	slices.SortFunc(arrivals, time.Time.Compare)
	want := time.Duration(len(arrivals)-1)*gap - gap/2
	if span := arrivals[len(arrivals)-1].Sub(arrivals[0]); span < want {
		t.Fatalf("%d requests to one host arrived within %v, want at least %v with a %v gap", len(arrivals), span, want, gap)
	}
}

// A service on this machine is not a publisher to be polite to: with an
// hour's gap, a second request to 127.0.0.1 would wait an hour and fail the
// deadline if the gap applied.
func TestLoopbackHostsGetNoGap(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(rssBody)) })
	cfg := testConfig(t, srv.Listener.Addr().String())
	cfg.PerHostGap = time.Hour
	c := New(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i := range 3 {
		if _, err := c.Get(ctx, Request{URL: srv.URL}); err != nil {
			t.Fatalf("request %d to a loopback host: %v (the per-host gap must not apply)", i+1, err)
		}
	}
}

func TestHostGateWaitHonoursCancellation(t *testing.T) {
	g := newHostGate(1, time.Hour)
	var held hostSlot
	if err := g.acquire(context.Background(), "example.test", &held); err != nil {
		t.Fatal(err)
	}
	defer held.release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	var waited hostSlot
	if err := g.acquire(ctx, "example.test", &waited); err == nil {
		t.Fatal("second acquire on a full host succeeded, want it to wait and give up with the context")
	}
}

func TestHostGateForgetsIdleHosts(t *testing.T) {
	g := newHostGate(1, 0)
	for _, host := range []string{"a.test", "b.test", "c.test"} {
		var slot hostSlot
		if err := g.acquire(context.Background(), host, &slot); err != nil {
			t.Fatal(err)
		}
		slot.release()
		slot.release() // a second call must be harmless
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.hosts) != 0 {
		t.Fatalf("gate still tracks %d idle hosts, want 0", len(g.hosts))
	}
}

func TestWaitingForTheHostGapDoesNotCountTowardsTheTimeout(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(rssBody))
	})
	cfg := testConfig(t, srv.Listener.Addr().String())
	cfg.PerHostConcurrency = 1
	cfg.PerHostGap = 1200 * time.Millisecond // longer than the timeout
	cfg.Timeout = time.Second
	c := New(cfg)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), Request{URL: srv.URL}); err != nil {
				t.Errorf("queued request failed: %v; want the wait for the host excluded from the timeout", err)
			}
		})
	}
	wg.Wait()
}
