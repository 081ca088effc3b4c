package fetch

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/cputime"
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

// A conditional GET answered 304, the whole of an idle feed's poll on the
// network side, from 8 goroutines: the Client against a bare net/http
// client on the same server. CPU per request (the server's included) and
// allocations are the figures to compare.
//
//	go test -run '^$' -bench 'Get304' -benchmem ./worker/fetch/
func BenchmarkGet304(b *testing.B) {
	srv := newServer(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.WriteHeader(http.StatusNotModified)
	})
	b.Run("client", func(b *testing.B) {
		c := New(Config{Allow: allowOnly(b, srv.Listener.Addr().String()), PerHostGap: -1, PerHostConcurrency: 8})
		parallel304(b, func() (int, error) {
			resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/feed.xml", Kind: KindFeed, ETag: `"v1"`})
			if err != nil {
				return 0, err
			}
			return resp.Status, nil
		})
	})
	b.Run("bare", func(b *testing.B) {
		c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
		parallel304(b, func() (int, error) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/feed.xml", nil)
			req.Header.Set("If-None-Match", `"v1"`)
			resp, err := c.Do(req)
			if err != nil {
				return 0, err
			}
			resp.Body.Close()
			return resp.StatusCode, nil
		})
	})
}

func parallel304(b *testing.B, get func() (int, error)) {
	b.ReportAllocs()
	b.SetParallelism(4) // 8 goroutines on 2 cores, as a poll's default
	start := cputime.Used()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if status, err := get(); err != nil || status != http.StatusNotModified {
				b.Errorf("got %d, %v; want 304", status, err)
				return
			}
		}
	})
	b.ReportMetric(float64((cputime.Used()-start).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
}
