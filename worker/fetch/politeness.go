package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
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

// hostSlot is one request's hold on a slot of its host, from acquire to
// release. It lives inside the request's releasingBody: one allocation per
// request instead of three closures.
type hostSlot struct {
	gate     *hostGate
	host     string
	h        *hostState
	released atomic.Bool
}

// acquire waits for a slot and the gap on host and fills in slot, whose
// release must then be called (more calls are harmless).
func (g *hostGate) acquire(ctx context.Context, host string, slot *hostSlot) error {
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

	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		g.leave(host, h)
		return ctx.Err()
	}

	if err := h.pace.Wait(ctx); err != nil {
		<-h.sem
		g.leave(host, h)
		return err
	}
	slot.gate, slot.host, slot.h = g, host, h
	return nil
}

// release frees the slot; only the first call counts.
func (s *hostSlot) release() {
	if s.h == nil || s.released.Swap(true) {
		return
	}
	<-s.h.sem
	s.gate.leave(s.host, s.h)
}

// leave ends a goroutine's interest in host, holding or waiting.
func (g *hostGate) leave(host string, h *hostState) {
	g.mu.Lock()
	defer g.mu.Unlock()
	h.users--
	// Forget idle hosts whose gap has passed, so the map stays as large
	// as the set of hosts being fetched, not every host ever seen.
	if h.users == 0 && h.pace.Tokens() >= 1 {
		delete(g.hosts, host)
	}
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
	body := &releasingBody{}
	// Keyed by host name without port: politeness is owed to the site.
	if err := t.gate.acquire(req.Context(), strings.ToLower(req.URL.Hostname()), &body.slot); err != nil {
		return nil, fmt.Errorf("waiting for a slot on %s: %w", req.URL.Host, err)
	}
	startClock(req.Context())
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		body.slot.release()
		return nil, err
	}
	body.ReadCloser = resp.Body
	resp.Body = body
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	slot hostSlot
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.slot.release()
	return err
}
