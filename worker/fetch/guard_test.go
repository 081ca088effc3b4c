package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wiresift/wiresift/worker/netguard"
)

// guardedClient returns a client whose only real connections go to the
// httptest server, through a recording dial hook, with names resolved by a
// fake resolver. No test here reaches any other address, even to show that it
// is refused: the refusal must come before the dial hook is called.
func guardedClient(t *testing.T, srv string, names map[string][]string) (*Client, *dialRecorder) {
	t.Helper()
	rec := &dialRecorder{server: srv}
	cfg := testConfig(t, srv)
	cfg.Resolver = fakeResolver(names)
	cfg.DialHook = rec.dial
	return New(cfg), rec
}

func TestGuardRefusesPrivateAddressesBeforeDialing(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(rssBody))
	})
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)

	names := map[string][]string{
		"metadata.test":   {"169.254.169.254"},
		"private.test":    {"10.0.0.1"},
		"v6loop.test":     {"::1"},
		"ula.test":        {"fd00::1"},
		"loop2.test":      {"127.0.0.2"},
		"cgnat.test":      {"100.64.0.1"},
		"mcast.test":      {"224.0.0.1"},
		"zero.test":       {"0.0.0.0"},
		"mapped.test":     {"::ffff:10.0.0.1"},
		"linklocal.test":  {"fe80::1"},
		"allprivate.test": {"10.0.0.1", "192.168.1.1"},
		"server.test":     {"127.0.0.1"},
		"mixed.test":      {"10.0.0.1", "127.0.0.1"},
		"compat.test":     {"::127.0.0.1"},
		"nat64.test":      {"64:ff9b::a9fe:a9fe"},
		"nat64local.test": {"64:ff9b:1::a00:1"},
		"6to4.test":       {"2002:c0a8:101::1"},
		"teredo.test":     {"2001:0:808:808:0:f227:80ff:fffe"},
	}
	tests := []struct {
		name       string
		url        string
		wantReason string // "" means allowed
	}{
		{"cloud metadata", "http://metadata.test:%s/latest/meta-data/", "cloud metadata"},
		{"RFC 1918", "http://private.test:%s/", "RFC 1918"},
		{"IPv6 loopback", "http://v6loop.test:%s/", "loopback"},
		{"RFC 4193", "http://ula.test:%s/", "RFC 4193"},
		{"loopback other than the allowed one", "http://loop2.test:%s/", "loopback"},
		{"CGNAT", "http://cgnat.test:%s/", "carrier-grade NAT"},
		{"multicast", "http://mcast.test:%s/", "multicast"},
		{"unspecified", "http://zero.test:%s/", "unspecified"},
		{"IPv4-mapped private", "http://mapped.test:%s/", "RFC 1918"},
		{"IPv6 link-local", "http://linklocal.test:%s/", "link-local"},
		{"every address private", "http://allprivate.test:%s/", "RFC 1918"},
		{"literal private IP", "http://10.0.0.1:%s/", "RFC 1918"},
		{"literal metadata IP", "http://169.254.169.254:%s/", "cloud metadata"},
		{"literal IPv6 loopback", "http://[::1]:%s/", "loopback"},
		{"IPv4-compatible loopback", "http://compat.test:%s/", "loopback via IPv4-compatible"},
		{"literal IPv4-compatible loopback", "http://[::127.0.0.1]:%s/", "loopback via IPv4-compatible"},
		{"literal IPv4-compatible metadata", "http://[::a9fe:a9fe]:%s/", "cloud metadata service via IPv4-compatible"},
		{"NAT64 metadata", "http://nat64.test:%s/", "cloud metadata service via NAT64"},
		{"NAT64 local-use", "http://nat64local.test:%s/", "via NAT64 local-use"},
		{"literal NAT64 local-use", "http://[64:ff9b:1::7f00:1]:%s/", "loopback via NAT64 local-use"},
		{"6to4 private", "http://6to4.test:%s/", "(RFC 1918) via 6to4"},
		{"literal 6to4 loopback", "http://[2002:7f00:1::1]:%s/", "loopback via 6to4"},
		{"Teredo private client", "http://teredo.test:%s/", "loopback via Teredo client"},
		{"literal Teredo private server", "http://[2001:0:a00:1::1]:%s/", "(RFC 1918) via Teredo server"},
		{"allowed address on another port", "http://server.test:1/%s", "loopback"},
		{"allowed address", "http://server.test:%s/", ""},
		{"private and allowed addresses", "http://mixed.test:%s/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := guardedClient(t, addr, names)
			url := fmt.Sprintf(tt.url, port)
			_, err := c.Get(context.Background(), Request{URL: url})
			if tt.wantReason == "" {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				if got := rec.calls(); !slices.Equal(got, []string{addr}) {
					t.Fatalf("dialed %v, want only the test server %s", got, addr)
				}
				return
			}
			wantErrIs(t, err, ErrForbiddenAddress)
			wantNamesURL(t, err, url)
			var fe *netguard.ForbiddenError
			if !errors.As(err, &fe) || !strings.Contains(fe.Reason, tt.wantReason) {
				t.Fatalf("error %v: want a *netguard.ForbiddenError whose reason has %q", err, tt.wantReason)
			}
			if got := rec.calls(); len(got) != 0 {
				t.Fatalf("dial hook was called with %v, want no dial at all", got)
			}
		})
	}
}

func TestGuardCoversRedirects(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://metadata.test/latest/meta-data/", http.StatusFound)
	})
	addr := srv.Listener.Addr().String()
	c, rec := guardedClient(t, addr, map[string][]string{"metadata.test": {"169.254.169.254"}})
	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/item"})
	wantErrIs(t, err, ErrForbiddenAddress)
	wantNamesURL(t, err, srv.URL+"/item")
	if got := rec.calls(); !slices.Equal(got, []string{addr}) {
		t.Fatalf("dialed %v, want only the test server %s", got, addr)
	}
}

func TestGuardCoversDNSRebinding(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/first" {
			// Close the connection so the next hop must dial (and resolve) again.
			w.Header().Set("Connection", "close")
			http.Redirect(w, r, "/second", http.StatusFound)
			return
		}
		w.Write([]byte(rssBody))
	})
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)

	// The name answers with the allowed address once, then with a private one.
	var mu sync.Mutex
	lookups := 0
	rec := &dialRecorder{server: addr}
	cfg := testConfig(t, addr)
	cfg.DialHook = rec.dial
	cfg.Resolver = func(ctx context.Context, host string) ([]netip.Addr, error) {
		mu.Lock()
		defer mu.Unlock()
		lookups++
		if lookups == 1 {
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
		}
		return []netip.Addr{netip.MustParseAddr("10.0.0.1")}, nil
	}
	_, err := New(cfg).Get(context.Background(), Request{URL: "http://rebind.test:" + port + "/first"})
	wantErrIs(t, err, ErrForbiddenAddress)
	if lookups != 2 {
		t.Fatalf("resolver asked %d times, want 2 (one per connection)", lookups)
	}
	if got := rec.calls(); !slices.Equal(got, []string{addr}) {
		t.Fatalf("dialed %v, want only the test server %s", got, addr)
	}
}

// TestRealDialerControlHookRefuses checks the last line of defence: the real
// net.Dialer's Control hook, used when no DialHook is set. It is pointed at
// the test server itself with no allowance, so even if the hook failed, the
// only connection made would be to the test server.
func TestRealDialerControlHookRefuses(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	d := newGuardedDialer(Config{}, timeouts{dial: testTimeout})
	conn, err := d.dial(context.Background(), "tcp", srv.Listener.Addr().String())
	if err == nil {
		conn.Close()
		t.Fatal("real dialer connected to loopback with an empty allowlist, want a refusal from Control")
	}
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("got %v, want ErrForbiddenAddress", err)
	}
}

// TestRealDialerControlRefusesEmbeddedIPv4 hands the real dialer every
// IPv6 spelling of a private IPv4 address: Control must refuse each before
// connect() (ErrForbiddenAddress, not a network error from a tried connect).
func TestRealDialerControlRefusesEmbeddedIPv4(t *testing.T) {
	d := newGuardedDialer(Config{}, timeouts{dial: testTimeout})
	for _, addr := range []string{
		"[::ffff:127.0.0.1]:1", "[::127.0.0.1]:1", "[::a9fe:a9fe]:1", "[::ffff:0:a00:1]:1",
		"[64:ff9b::7f00:1]:1", "[64:ff9b:1::7f00:1]:1", "[2002:7f00:1::1]:1",
		"[2001:0:a00:1::1]:1", "[2001:0:808:808:0:f227:80ff:fffe]:1",
	} {
		conn, err := d.dial(context.Background(), "tcp", addr)
		if err == nil {
			conn.Close()
			t.Fatalf("real dialer connected to %s, want a refusal from Control", addr)
		}
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Fatalf("dial %s: got %v, want ErrForbiddenAddress from Control", addr, err)
		}
	}
}

// TestHTTPSByNameThroughTheGuard checks that dialing the checked IP keeps TLS
// verifying the host name: the test server's certificate is for example.com,
// which the fake resolver points at the server.
func TestHTTPSByNameThroughTheGuard(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(rssBody))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	c, rec := guardedClient(t, addr, map[string][]string{
		"example.com": {"127.0.0.1"},
		"wrong.test":  {"127.0.0.1"},
	})
	c.transport.(*politeTransport).next.(*http.Transport).TLSClientConfig.RootCAs = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs

	resp, err := c.Get(context.Background(), Request{URL: "https://example.com:" + port + "/feed"})
	if err != nil {
		t.Fatalf("HTTPS by name: %v", err)
	}
	if string(resp.Body) != rssBody {
		t.Fatalf("body = %q, want the feed", resp.Body)
	}
	// Same server, a name its certificate does not cover: TLS must refuse.
	if _, err := c.Get(context.Background(), Request{URL: "https://wrong.test:" + port + "/feed"}); err == nil ||
		!strings.Contains(err.Error(), "certificate") {
		t.Fatalf("name outside the certificate: got %v, want a certificate error", err)
	}
	for _, d := range rec.calls() {
		if d != addr {
			t.Fatalf("dialed %s, want only the test server %s", d, addr)
		}
	}
}
