package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
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
	sem   chan struct{}
	pace  *rate.Limiter // one request start per gap, no bursts
	users int           // goroutines holding or waiting; guarded by hostGate.mu
}

func newHostGate(slots int, gap time.Duration) *hostGate {
	return &hostGate{slots: slots, gap: gap, hosts: map[string]*hostState{}}
}

// acquire waits for a slot and the gap on host; release must be called once.
func (g *hostGate) acquire(ctx context.Context, host string) (release func(), err error) {
	g.mu.Lock()
	h := g.hosts[host]
	if h == nil {
		every := rate.Inf
		if g.gap > 0 && !isLoopback(host) {
			every = rate.Every(g.gap)
		}
		h = &hostState{sem: make(chan struct{}, g.slots), pace: rate.NewLimiter(every, 1)}
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
		if h.users == 0 && h.pace.Tokens() >= 1 {
			delete(g.hosts, host)
		}
	}

	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}

	if err := h.pace.Wait(ctx); err != nil {
		<-h.sem
		done()
		return nil, err
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-h.sem
			done()
		})
	}, nil
}

// isLoopback tells a service on this machine (only reachable when -allow-net
// exempts it: a test server, a local mirror) from a publisher's site. The gap
// is courtesy owed to publishers; pacing requests to oneself only slows a
// local backfill or benchmark down. The concurrency cap still applies.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
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
		return nil, fmt.Errorf("waiting for a slot on %s: %w", req.URL.Host, err)
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
