package fetch

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryAfterOn429And503(t *testing.T) {
	date := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name       string
		code       int
		retryAfter string
		wantAfter  time.Time // RetryAfter must be at or after this
		wantBefore time.Time // and before this
	}{
		{"429 in seconds", http.StatusTooManyRequests, "120", time.Now().Add(119 * time.Second), time.Now().Add(125 * time.Second)},
		{"503 as HTTP-date", http.StatusServiceUnavailable, date.Format(http.TimeFormat), date, date.Add(time.Second)},
		{"429 as HTTP-date", http.StatusTooManyRequests, date.Format(http.TimeFormat), date, date.Add(time.Second)},
		{"503 in seconds", http.StatusServiceUnavailable, "3600", time.Now().Add(3599 * time.Second), time.Now().Add(3605 * time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tt.retryAfter)
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(tt.code)
				w.Write([]byte("slow down"))
			})
			_, err := c.Get(context.Background(), Request{URL: srv.URL})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *StatusError", err)
			}
			if se.Code != tt.code {
				t.Fatalf("Code = %d, want %d", se.Code, tt.code)
			}
			if se.RetryAfter.Before(tt.wantAfter) || !se.RetryAfter.Before(tt.wantBefore) {
				t.Fatalf("RetryAfter = %v, want in [%v, %v)", se.RetryAfter, tt.wantAfter, tt.wantBefore)
			}
			wantNamesURL(t, err, srv.URL)
			if errors.Is(err, ErrBlocked) {
				t.Fatalf("plain %d reported as blocked: %v", tt.code, err)
			}
		})
	}
}

func TestStatusErrors(t *testing.T) {
	tests := []struct {
		name        string
		code        int
		contentType string
		header      map[string]string
		body        string
		wantIs      error // nil: a plain StatusError
	}{
		{"410 is gone", http.StatusGone, "text/html", nil, "<html>gone</html>", ErrGone},
		{"404 is a plain status error", http.StatusNotFound, "text/html", nil, "<html>not found</html>", nil},
		{"500 is a plain status error", http.StatusInternalServerError, "text/plain", nil, "oops", nil},
		{"cf-mitigated challenge", http.StatusForbidden, "text/html", map[string]string{"cf-mitigated": "challenge"}, "<html>Just a moment</html>", ErrBlocked},
		{"403 with an HTML page", http.StatusForbidden, "text/html; charset=utf-8", nil, "<html><body>Access denied</body></html>", ErrBlocked},
		{"403 without HTML", http.StatusForbidden, "text/plain", nil, "forbidden", nil},
		{"503 captcha page", http.StatusServiceUnavailable, "text/html", nil, `<html><form id="captcha-form">Please verify you are human</form></html>`, ErrBlocked},
		{"503 article page with a captcha in its comment form", http.StatusServiceUnavailable, "text/html", nil,
			"<html><body><article>" + strings.Repeat("Words of a long news story go on here. ", 40) +
				`</article><form class="g-recaptcha">Comment</form></body></html>`, nil},
		{"503 maintenance page", http.StatusServiceUnavailable, "text/html", nil, "<html><body>Down for maintenance, back soon.</body></html>", nil},
		{"cf-mitigated on 200", http.StatusOK, "text/html", map[string]string{"cf-mitigated": "challenge"}, "<html>Just a moment</html>", ErrBlocked},
		{"cf-mitigated on 503", http.StatusServiceUnavailable, "text/html", map[string]string{"cf-mitigated": "challenge"}, "<html></html>", ErrBlocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.code)
				w.Write([]byte(tt.body))
			})
			resp, err := c.Get(context.Background(), Request{URL: srv.URL, Kind: KindFeed})
			if resp != nil {
				t.Fatalf("got a response %+v for HTTP %d, want nil", resp, tt.code)
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.code {
				t.Fatalf("got %v, want a *StatusError with code %d", err, tt.code)
			}
			wantNamesURL(t, err, srv.URL)
			for _, sentinel := range []error{ErrGone, ErrBlocked} {
				if got, want := errors.Is(err, sentinel), sentinel == tt.wantIs; got != want {
					t.Fatalf("errors.Is(%v, %q) = %v, want %v", err, sentinel, got, want)
				}
			}
		})
	}
}
