package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/wiresift/wiresift/worker/netguard"
)

// Sentinel errors. Every error Get returns names the URL and wraps one of
// these, or a *StatusError, or a transport error (reset, malformed response).
var (
	// ErrForbiddenAddress: the URL resolves to an address the guard refuses.
	ErrForbiddenAddress = netguard.ErrForbiddenAddress
	ErrTooLarge         = errors.New("fetch: body too large")
	// ErrBlocked: a bot challenge or access-denied page answered instead of content.
	ErrBlocked          = errors.New("fetch: blocked by a bot challenge")
	ErrGone             = errors.New("fetch: gone (HTTP 410)")
	ErrUnsupportedType  = errors.New("fetch: unsupported content type")
	ErrTooManyRedirects = errors.New("fetch: too many redirects")
	// ErrUnsupportedScheme: only http and https are fetched, redirects included.
	ErrUnsupportedScheme = errors.New("fetch: unsupported URL scheme")
	// ErrTimeout: the whole-request deadline, or a dial, TLS or header timeout, passed.
	ErrTimeout = errors.New("fetch: timed out")
	// ErrBadEncoding: the Content-Encoding was unknown or its stream was broken.
	ErrBadEncoding = errors.New("fetch: bad content encoding")
)

// StatusError is a non-2xx answer. Err, when set, is the sentinel that gives
// the status its meaning (ErrGone, ErrBlocked), so errors.Is works through it.
type StatusError struct {
	URL      string // as requested
	FinalURL string // the URL that answered, when redirects led elsewhere
	Code     int
	// RetryAfter is from the Retry-After header (429, 503); zero if none.
	RetryAfter time.Time
	Err        error
}

func (e *StatusError) Error() string {
	msg := "fetch: " + e.URL + ": "
	if e.FinalURL != "" {
		msg += "redirected to " + e.FinalURL + ": "
	}
	msg += fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if !e.RetryAfter.IsZero() {
		msg += ", retry after " + e.RetryAfter.UTC().Format(time.RFC3339)
	}
	return msg
}

func (e *StatusError) Unwrap() error { return e.Err }
