package fetch

import (
	"io"
	"net/http"
	"time"
)

// statusError reads a little of the error page to tell a bot challenge from
// an ordinary failure.
func statusError(requested, final string, resp *http.Response, retryAfter time.Time) error {
	e := &StatusError{URL: requested, Code: resp.StatusCode}
	if final != requested {
		e.FinalURL = final
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = retryAfter
	}
	if resp.StatusCode == http.StatusGone {
		e.Err = ErrGone
		return e
	}
	if isBotChallenge(resp.StatusCode, resp.Header, readPrefix(resp, challengeSniffBytes)) {
		e.Err = ErrBlocked
	}
	return e
}

// readPrefix returns up to n decoded bytes of the body, or what it could get
// before an error: an error page is only looked at, never stored.
func readPrefix(resp *http.Response, n int64) []byte {
	decoded, err := decode(io.LimitReader(resp.Body, n), resp.Header.Get("Content-Encoding"))
	if err != nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(decoded, n))
	return b
}
