package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const testLimit = 1 << 20 // 1 MiB body limit in these tests

// limitedConfig is a test config with 1 MiB limits for feeds and pages.
func limitedServe(t *testing.T, h http.HandlerFunc) (string, *Client) {
	t.Helper()
	srv := newServer(t, h)
	cfg := testConfig(t, srv.Listener.Addr().String())
	cfg.MaxFeedBytes, cfg.MaxPageBytes = testLimit, testLimit
	return srv.URL, New(cfg)
}

var (
	bombOnce sync.Once
	bomb     []byte
)

// gzipBomb is 128 MiB of zeros in about 130 KiB: 128 gzip members of 1 MiB
// each, which a gzip reader reads as one stream.
func gzipBomb() []byte {
	bombOnce.Do(func() {
		var member bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
		zw.Write(make([]byte, 1<<20))
		zw.Close()
		bomb = bytes.Repeat(member.Bytes(), 128)
	})
	return bomb
}

func serveGzipBomb(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Header().Set("Content-Encoding", "gzip")
	w.Write(gzipBomb())
}

// serveEndless sends up to 1 GB of feed-looking bytes, stopping when the
// client goes away.
func serveEndless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	chunk := bytes.Repeat([]byte("<item>endless</item>\n"), 3000)
	for sent := 0; sent < 1<<30; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// allocatedDuring reports the bytes allocated while fn ran (the whole
// process, so the in-process test server counts too: an upper bound).
func allocatedDuring(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestBodyLimits(t *testing.T) {
	// Reading a body under a 1 MiB limit may allocate a few times the limit
	// (buffer growth); an unbounded read of these bodies would allocate
	// hundreds of megabytes.
	const maxAlloc = 16 << 20
	gzipBomb() // build it before any timeout runs
	tests := []struct {
		name    string
		handler http.HandlerFunc
		kind    Kind
		wantMsg string
	}{
		{"gzip bomb", serveGzipBomb, KindFeed, "feed body over 1 MiB"},
		{"1 GB endless body", serveEndless, KindFeed, "feed body over 1 MiB"},
		{"page over the limit", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write(bytes.Repeat([]byte("<p>x</p>"), testLimit/8+1))
		}, KindPage, "page body over 1 MiB"},
		{"Content-Length over the limit", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", strconv.Itoa(testLimit+1))
			w.Write(bytes.Repeat([]byte("x"), testLimit+1))
		}, KindPage, "page body over 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, c := limitedServe(t, tt.handler)
			var err error
			alloc := allocatedDuring(func() {
				_, err = c.Get(context.Background(), Request{URL: url, Kind: tt.kind})
			})
			wantErrIs(t, err, ErrTooLarge)
			wantNamesURL(t, err, url)
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error %q does not say %q", err, tt.wantMsg)
			}
			if errors.Is(err, ErrTimeout) {
				t.Fatalf("size limit reported as a timeout: %v", err)
			}
			if alloc > maxAlloc {
				t.Fatalf("allocated %d bytes reading a body limited to %d, want at most %d", alloc, testLimit, maxAlloc)
			}
		})
	}
}

func TestBodyExactlyAtLimitIsAccepted(t *testing.T) {
	body := append([]byte("<rss>"), bytes.Repeat([]byte("x"), testLimit-5)...)
	url, c := limitedServe(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		zw := gzip.NewWriter(w)
		w.Header().Set("Content-Encoding", "gzip")
		zw.Write(body)
		zw.Close()
	})
	resp, err := c.Get(context.Background(), Request{URL: url})
	if err != nil {
		t.Fatalf("body of exactly the limit: got %v, want success", err)
	}
	if !bytes.Equal(resp.Body, body) {
		t.Fatalf("got %d bytes, want the %d sent", len(resp.Body), len(body))
	}
}

func TestTimeBounds(t *testing.T) {
	trickle := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for range 60 {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	}
	silentAddr := rawServer(t, func(conn net.Conn) {
		readRequestHead(conn)
		// Never answer; wait for the client to give up.
		conn.Read(make([]byte, 1))
	})
	tlsStallAddr := rawServer(t, func(conn net.Conn) {
		// Accept TCP, never complete the TLS handshake.
		conn.Read(make([]byte, 1<<16))
		conn.Read(make([]byte, 1))
	})
	trickleSrv := newServer(t, trickle)

	tests := []struct {
		name string
		addr string
		url  string
	}{
		{"1 byte per second trickle", trickleSrv.Listener.Addr().String(), trickleSrv.URL},
		{"server that never answers", silentAddr, "http://" + silentAddr + "/feed"},
		{"TLS handshake that never completes", tlsStallAddr, "https://" + tlsStallAddr + "/feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, tt.addr)
			cfg.Timeout = 300 * time.Millisecond
			done := make(chan error, 1)
			go func() {
				_, err := New(cfg).Get(context.Background(), Request{URL: tt.url})
				done <- err
			}()
			// The bound is 300 ms; a minute means it was not enforced. This is
			// a hang detector, not a timing assertion.
			select {
			case err := <-done:
				wantErrIs(t, err, ErrTimeout)
				wantNamesURL(t, err, tt.url)
			case <-time.After(time.Minute):
				t.Fatal("Get still running after a minute with a 300 ms timeout")
			}
		})
	}
}

func TestCallerCancellationIsNotATimeout(t *testing.T) {
	url, c := limitedServe(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(20 * time.Millisecond)
		cancel()
	}()
	_, err := c.Get(ctx, Request{URL: url})
	wantErrIs(t, err, context.Canceled)
	if errors.Is(err, ErrTimeout) {
		t.Fatalf("cancellation reported as a timeout: %v", err)
	}
}
