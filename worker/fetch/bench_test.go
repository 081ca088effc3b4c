package fetch

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// Memory bounds under hostile bodies: B/op is the figure to watch. With a
// 1 MiB limit it stays a small multiple of the limit however large the body
// (128 MiB gzip bomb, 1 GB endless stream).
//
//	go test -run '^$' -bench . -benchmem ./worker/fetch/
func benchmarkGet(b *testing.B, h http.HandlerFunc, wantErr error) {
	srv := newServer(b, h)
	cfg := Config{Allow: allowOnly(b, srv.Listener.Addr().String()), PerHostGap: -1,
		MaxFeedBytes: testLimit, MaxPageBytes: testLimit}
	c := New(cfg)
	b.ReportAllocs()
	for b.Loop() {
		_, err := c.Get(context.Background(), Request{URL: srv.URL})
		if !errors.Is(err, wantErr) {
			b.Fatalf("got %v, want %v", err, wantErr)
		}
	}
}

func BenchmarkGetGzipBomb(b *testing.B) {
	gzipBomb()
	benchmarkGet(b, serveGzipBomb, ErrTooLarge)
}

func BenchmarkGetEndlessBody(b *testing.B) {
	benchmarkGet(b, serveEndless, ErrTooLarge)
}

func BenchmarkGetSmallFeed(b *testing.B) {
	body := readFixture(b, "feed.xml.gz")
	benchmarkGet(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(body)
	}, nil)
}
