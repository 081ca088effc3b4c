package fetch

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

const rssBody = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>`

func TestConditionalGetSendsValidatorsAnd304IsNotModified(t *testing.T) {
	const etag, lastMod = `"v1"`, "Sun, 01 Mar 2026 10:00:00 GMT"
	var mu sync.Mutex
	var seen []http.Header
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(rssBody))
	})

	first, err := c.Get(context.Background(), Request{URL: srv.URL, Kind: KindFeed})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || string(first.Body) != rssBody || first.ETag != etag || first.LastModified != lastMod {
		t.Fatalf("first GET = %+v, want the body with ETag %s and Last-Modified %s", first, etag, lastMod)
	}

	second, err := c.Get(context.Background(), Request{URL: srv.URL, Kind: KindFeed, ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Status != http.StatusNotModified || len(second.Body) != 0 {
		t.Fatalf("second GET = status %d NotModified %v body %d bytes, want 304, NotModified, empty body",
			second.Status, second.NotModified, len(second.Body))
	}
	// A 304 that does not repeat the validators must not lose them.
	if second.ETag != etag || second.LastModified != lastMod {
		t.Fatalf("304 validators = %q, %q; want the request's %q, %q kept", second.ETag, second.LastModified, etag, lastMod)
	}
	if len(seen) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(seen))
	}
	if got := seen[0].Get("If-None-Match") + seen[0].Get("If-Modified-Since"); got != "" {
		t.Fatalf("first request carried validators %q, want none", got)
	}
	if got := seen[1].Get("If-None-Match"); got != etag {
		t.Fatalf("If-None-Match = %q, want %q", got, etag)
	}
	if got := seen[1].Get("If-Modified-Since"); got != lastMod {
		t.Fatalf("If-Modified-Since = %q, want %q", got, lastMod)
	}
}

func TestNotModifiedTakesNewerValidators(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v2"`)
		w.WriteHeader(http.StatusNotModified)
	})
	resp, err := c.Get(context.Background(), Request{URL: srv.URL, ETag: `"v1"`, LastModified: "Sun, 01 Mar 2026 10:00:00 GMT"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ETag != `"v2"` || resp.LastModified != "Sun, 01 Mar 2026 10:00:00 GMT" {
		t.Fatalf("validators = %q, %q; want the server's new ETag and the kept Last-Modified", resp.ETag, resp.LastModified)
	}
}

func TestRequestHeaders(t *testing.T) {
	tests := []struct {
		name      string
		userAgent string
		kind      Kind
		wantUA    string
		wantInAcc string
	}{
		{"default user agent, feed", "", KindFeed, "wiresift/dev (+https://github.com/wiresift/wiresift)", "application/rss+xml"},
		{"custom user agent, page", "MyBot/1.0", KindPage, "MyBot/1.0", "text/html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got http.Header
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				got = r.Header.Clone()
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte("<html><body>hi</body></html>"))
			})
			cfg := testConfig(t, srv.Listener.Addr().String())
			cfg.UserAgent = tt.userAgent
			if _, err := New(cfg).Get(context.Background(), Request{URL: srv.URL, Kind: tt.kind}); err != nil {
				t.Fatal(err)
			}
			if ua := got.Get("User-Agent"); ua != tt.wantUA {
				t.Fatalf("User-Agent = %q, want %q", ua, tt.wantUA)
			}
			if acc := got.Get("Accept"); !contains(acc, tt.wantInAcc) {
				t.Fatalf("Accept = %q, want it to include %q", acc, tt.wantInAcc)
			}
			if enc := got.Get("Accept-Encoding"); enc != "gzip, deflate, br" {
				t.Fatalf("Accept-Encoding = %q, want %q", enc, "gzip, deflate, br")
			}
		})
	}
}

func TestDefaultUserAgent(t *testing.T) {
	if got, want := DefaultUserAgent("1.2.3"), "wiresift/1.2.3 (+https://github.com/wiresift/wiresift)"; got != want {
		t.Fatalf("DefaultUserAgent(1.2.3) = %q, want %q", got, want)
	}
}

func TestResponseCarriesFreshnessAndRetryAfter(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.Header().Set("Retry-After", "120")
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(rssBody))
	})
	before := time.Now()
	resp, err := c.Get(context.Background(), Request{URL: srv.URL})
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if resp.FreshUntil.Before(before.Add(600*time.Second)) || resp.FreshUntil.After(after.Add(600*time.Second)) {
		t.Fatalf("FreshUntil = %v, want 600 s after the request (%v)", resp.FreshUntil, before)
	}
	if resp.RetryAfter.Before(before.Add(120*time.Second)) || resp.RetryAfter.After(after.Add(120*time.Second)) {
		t.Fatalf("RetryAfter = %v, want 120 s after the request (%v)", resp.RetryAfter, before)
	}
}
