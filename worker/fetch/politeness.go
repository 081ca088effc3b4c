package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// hostGate keeps wiresift polite to each host: at most `slots` requests in
// flight and at least `gap` between two request starts, so a backfill of
// hundreds of articles on one site arrives as a trickle, not a burst.
type hostGate struct {
	slots int
	gap   time.Duration

	mu    sync.Mutex
	hosts map[string]*hostState
}

type hostState struct {
	sem       chan struct{}
	nextStart time.Time // guarded by hostGate.mu
	users     int       // goroutines holding or waiting; guarded by hostGate.mu
}

func newHostGate(slots int, gap time.Duration) *hostGate {
	return &hostGate{slots: slots, gap: gap, hosts: map[string]*hostState{}}
}

// acquire waits for a slot and the gap on host; release must be called once.
func (g *hostGate) acquire(ctx context.Context, host string) (release func(), err error) {
	g.mu.Lock()
	h := g.hosts[host]
	if h == nil {
		h = &hostState{sem: make(chan struct{}, g.slots)}
		g.hosts[host] = h
	}
	h.users++
	g.mu.Unlock()

	done := func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		h.users--
		// Forget idle hosts whose gap has passed, so the map stays as large
		// as the set of hosts being fetched, not every host ever seen.
		if h.users == 0 && !time.Now().Before(h.nextStart) {
			delete(g.hosts, host)
		}
	}

	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}

	g.mu.Lock()
	now := time.Now()
	start := now
	if h.nextStart.After(now) {
		start = h.nextStart
	}
	h.nextStart = start.Add(g.gap)
	g.mu.Unlock()

	if wait := time.Until(start); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			<-h.sem
			done()
			return nil, ctx.Err()
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-h.sem
			done()
		})
	}, nil
}

// politeTransport passes every request, redirect hops included, through the
// host gate, and holds the slot until the body is closed.
type politeTransport struct {
	gate *hostGate
	next http.RoundTripper
}

func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// Keyed by host name without port: politeness is owed to the site.
	release, err := t.gate.acquire(req.Context(), strings.ToLower(req.URL.Hostname()))
	if err != nil {
		return nil, fmt.Errorf("fetch: waiting for a slot on %s: %w", req.URL.Host, err)
	}
	startClock(req.Context())
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
