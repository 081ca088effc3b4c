package fetch

import (
	"fmt"
	"net/http"
	"net/url"
)

// redirectPolicy follows at most maxRedirects hops, only to http/https, stops
// at the first URL seen twice, and remembers where a permanent first hop led
// so the caller can update a moved feed. One per Get.
type redirectPolicy struct {
	permanent string
}

func (p *redirectPolicy) check(req *http.Request, via []*http.Request) error {
	if err := checkScheme(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL, err)
	}
	next := req.URL.String()
	for _, prev := range via {
		if prev.URL.String() == next {
			return fmt.Errorf("%w: redirect loop back to %s", ErrTooManyRedirects, next)
		}
	}
	if len(via) > maxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, maxRedirects)
	}
	if len(via) == 1 && req.Response != nil {
		switch req.Response.StatusCode {
		case http.StatusMovedPermanently, http.StatusPermanentRedirect:
			p.permanent = next
		}
	}
	return nil
}

func checkScheme(u *url.URL) error {
	switch u.Scheme {
	case "http", "https":
		return nil
	}
	return fmt.Errorf("%w %q (only http and https)", ErrUnsupportedScheme, u.Scheme)
}
