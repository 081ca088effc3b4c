package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestTransportFaultsEndInClearErrors(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.Bytes()
	}
	tests := []struct {
		name    string
		handle  func(net.Conn)
		wantMsg string // substring of the error
		wantIs  error  // optional sentinel
	}{
		{"truncated body", func(c net.Conn) {
			readRequestHead(c)
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000\r\n\r\n<rss>only part")
		}, "unexpected EOF", nil},
		{"connection reset mid-body", func(c net.Conn) {
			readRequestHead(c)
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000\r\n\r\n<rss>")
			time.Sleep(10 * time.Millisecond)
			c.(*net.TCPConn).SetLinger(0) // close with RST
		}, "reset", nil},
		{"garbage instead of HTTP", func(c net.Conn) {
			readRequestHead(c)
			fmt.Fprint(c, "SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02 not http at all\r\n\r\n")
		}, "malformed HTTP", nil},
		{"multi-megabyte headers", func(c net.Conn) {
			readRequestHead(c)
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n")
			line := "X-Filler: " + strings.Repeat("a", 8000) + "\r\n"
			for range 4 << 20 / len(line) {
				if _, err := fmt.Fprint(c, line); err != nil {
					return
				}
			}
			fmt.Fprint(c, "\r\n<rss/>")
		}, "headers exceeded", nil},
		{"broken gzip stream", func(c net.Conn) {
			readRequestHead(c)
			body := gz("<rss><channel><title>a feed long enough to compress</title></channel></rss>")
			copy(body[12:], bytes.Repeat([]byte{0xff}, 12))
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", len(body))
			c.Write(body)
		}, "gzip", ErrBadEncoding},
		{"gzip header that is not gzip", func(c net.Conn) {
			readRequestHead(c)
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Encoding: gzip\r\nContent-Length: 6\r\n\r\n<rss/>")
		}, "gzip", ErrBadEncoding},
		{"unknown content encoding", func(c net.Conn) {
			readRequestHead(c)
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Encoding: zstd\r\nContent-Length: 6\r\n\r\n<rss/>")
		}, "zstd", ErrBadEncoding},
		{"closed before any answer", func(c net.Conn) {
			readRequestHead(c)
		}, "without an answer", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := rawServer(t, tt.handle)
			url := "http://" + addr + "/feed"
			cfg := testConfig(t, addr)
			cfg.Timeout = 5 * time.Second
			resp, err := New(cfg).Get(context.Background(), Request{URL: url})
			if err == nil {
				t.Fatalf("got response %+v, want an error", resp)
			}
			t.Logf("error: %v", err)
			wantNamesURL(t, err, url)
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error %q does not say %q", err, tt.wantMsg)
			}
			if tt.wantIs != nil {
				wantErrIs(t, err, tt.wantIs)
			}
			if errors.Is(err, ErrTimeout) {
				t.Fatalf("fault reported as a timeout, want it to end at once: %v", err)
			}
		})
	}
}

func TestDecompression(t *testing.T) {
	const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Новости</title></channel></rss>`
	tests := []struct {
		name     string
		encoding string
		fixture  string // testdata file holding feed, encoded
	}{
		{"gzip", "gzip", "feed.xml.gz"},
		{"x-gzip", "x-gzip", "feed.xml.gz"},
		{"deflate with zlib wrapper", "deflate", "feed.xml.zlib"},
		{"raw deflate", "deflate", "feed.xml.deflate"},
		{"brotli", "br", "feed.xml.br"},
		{"identity", "identity", "feed.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := readFixture(t, tt.fixture)
			srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
				w.Header().Set("Content-Encoding", tt.encoding)
				w.Write(body)
			})
			resp, err := c.Get(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(string(resp.Body)); got != feed {
				t.Fatalf("body = %q, want %q", got, feed)
			}
			if resp.ContentType != "application/rss+xml; charset=utf-8" {
				t.Fatalf("ContentType = %q, want the header as sent", resp.ContentType)
			}
		})
	}
}
