package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/netguard"
)

// testTimeout is generous for a loaded CI machine; tests of the time bounds
// set their own short ones, and nothing waits for the 30-second default.
const testTimeout = 5 * time.Second

// allowOnly exempts exactly one httptest server's address, so a test can
// reach it and nothing else.
func allowOnly(t testing.TB, addr string) netguard.Allowlist {
	t.Helper()
	a, err := netguard.ParseAllowlist(addr)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// testConfig is a config for a client that may reach only addr (host:port).
func testConfig(t *testing.T, addr string) Config {
	return Config{
		Allow:   allowOnly(t, addr),
		Timeout: testTimeout,
		// One slot per host: a redirect hop that waited for the slot its
		// own first hop still held would hang here.
		PerHostConcurrency: 1,
		PerHostGap:         -1,
	}
}

// serve starts an httptest server and a client allowed to reach only it.
func serve(t *testing.T, h http.HandlerFunc) (*httptest.Server, *Client) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, New(testConfig(t, srv.Listener.Addr().String()))
}

// rawServer accepts TCP connections on 127.0.0.1 and hands each to handle,
// for servers that do not speak proper HTTP.
func rawServer(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				handle(conn)
			}()
		}
	}()
	return ln.Addr().String()
}

// readRequestHead consumes the request line and headers.
func readRequestHead(conn net.Conn) {
	buf := make([]byte, 4096)
	var got []byte
	for !strings.Contains(string(got), "\r\n\r\n") {
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		got = append(got, buf[:n]...)
	}
}

// dialRecorder is a DialHook that records every address it is asked for and
// connects only to the one allowed test server address.
type dialRecorder struct {
	mu     sync.Mutex
	dialed []string
	server string
}

func (d *dialRecorder) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.dialed = append(d.dialed, addr)
	d.mu.Unlock()
	if addr != d.server {
		return nil, errors.New("test dial hook: refusing to connect to " + addr)
	}
	var dialer net.Dialer
	return dialer.DialContext(ctx, network, addr)
}

func (d *dialRecorder) calls() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.dialed...)
}

// fakeResolver maps names to fixed addresses, without DNS.
func fakeResolver(names map[string][]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		addrs, ok := names[host]
		if !ok {
			return nil, errors.New("fake resolver: no such host " + host)
		}
		var out []netip.Addr
		for _, a := range addrs {
			out = append(out, netip.MustParseAddr(a))
		}
		return out, nil
	}
}

func wantErrIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want one wrapping %q", err, target)
	}
}

func wantNamesURL(t *testing.T, err error, url string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), url) {
		t.Fatalf("error %v does not name the URL %s", err, url)
	}
}

func newServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
