package fetch

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestPermanentRedirect(t *testing.T) {
	tests := []struct {
		name          string
		codes         []int // redirect codes, in hop order
		wantPermanent bool
	}{
		{"301", []int{http.StatusMovedPermanently}, true},
		{"308", []int{http.StatusPermanentRedirect}, true},
		{"302", []int{http.StatusFound}, false},
		{"307", []int{http.StatusTemporaryRedirect}, false},
		{"302 then 301 is not a move of this URL", []int{http.StatusFound, http.StatusMovedPermanently}, false},
		{"301 then 302 records the first hop", []int{http.StatusMovedPermanently, http.StatusFound}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
				hop, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop"))
				if hop < len(tt.codes) {
					http.Redirect(w, r, fmt.Sprintf("/hop%d", hop+1), tt.codes[hop])
					return
				}
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Write([]byte(rssBody))
			})
			resp, err := c.Get(context.Background(), Request{URL: srv.URL + "/hop0"})
			if err != nil {
				t.Fatal(err)
			}
			wantFinal := fmt.Sprintf("%s/hop%d", srv.URL, len(tt.codes))
			if resp.URL != wantFinal {
				t.Fatalf("URL = %q, want the final %q", resp.URL, wantFinal)
			}
			want := ""
			if tt.wantPermanent {
				want = srv.URL + "/hop1"
			}
			if resp.PermanentRedirect != want {
				t.Fatalf("PermanentRedirect = %q, want %q", resp.PermanentRedirect, want)
			}
		})
	}
}

func TestRedirectLimits(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		wantErr error // nil: success
	}{
		{"loop between two URLs", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/a" {
				http.Redirect(w, r, "/b", http.StatusFound)
			} else {
				http.Redirect(w, r, "/a", http.StatusFound)
			}
		}, ErrTooManyRedirects},
		{"redirect to itself", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusMovedPermanently)
		}, ErrTooManyRedirects},
		{"endless chain", chain(1000), ErrTooManyRedirects},
		{"11 redirects", chain(11), ErrTooManyRedirects},
		{"10 redirects", chain(10), nil},
		{"redirect to another scheme", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "file:///etc/passwd")
			w.WriteHeader(http.StatusFound)
		}, ErrUnsupportedScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests int
			srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
				requests++
				tt.handler(w, r)
			})
			_, err := c.Get(context.Background(), Request{URL: srv.URL + "/a"})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			wantErrIs(t, err, tt.wantErr)
			wantNamesURL(t, err, srv.URL+"/a")
			if requests > maxRedirects+1 {
				t.Fatalf("server saw %d requests, want at most %d", requests, maxRedirects+1)
			}
		})
	}
}

// chain redirects /a → /1 → /2 … → /n, which answers with a feed.
func chain(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hop, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if hop < n {
			http.Redirect(w, r, fmt.Sprintf("/%d", hop+1), http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(rssBody))
	}
}

func TestOnlyHTTPSchemes(t *testing.T) {
	c := New(Config{})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/feed", "gopher://x/", "javascript:alert(1)"} {
		_, err := c.Get(context.Background(), Request{URL: u})
		wantErrIs(t, err, ErrUnsupportedScheme)
		wantNamesURL(t, err, u)
	}
}
