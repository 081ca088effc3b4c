package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wiresift/wiresift/worker/httpcache"
)

// Client fetches with one reused transport. It is safe for concurrent use.
type Client struct {
	cfg       Config
	transport http.RoundTripper
}

type timeouts struct{ dial, tls, header time.Duration }

// New builds a Client; zero Config fields take the package defaults.
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	t := timeouts{
		dial:   min(dialTimeout, cfg.Timeout),
		tls:    min(tlsHandshakeTimeout, cfg.Timeout),
		header: min(responseHeaderTimeout, cfg.Timeout),
	}
	dialer := newGuardedDialer(cfg, t)
	tr := &http.Transport{
		// No proxy from the environment: a proxy would make the connection,
		// and the guard would only ever see the proxy's address.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    t.tls,
		ResponseHeaderTimeout:  t.header,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
		// We ask for gzip, deflate and br ourselves and decode with limits.
		DisableCompression:  true,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        100,
		MaxIdleConnsPerHost: cfg.PerHostConcurrency,
		IdleConnTimeout:     90 * time.Second,
		TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
	}
	return &Client{
		cfg:       cfg,
		transport: &politeTransport{gate: newHostGate(cfg.PerHostConcurrency, cfg.PerHostGap), next: tr},
	}
}

// exchange is what one Get keeps while it runs, allocated as one: an idle
// feed's poll is little more than a Get, and every allocation shows.
type exchange struct {
	clock     requestClock
	redirects redirectPolicy // one per Get: it remembers a permanent first hop
	client    http.Client    // carries redirects.check
}

// Get fetches r.URL. It returns a Response for 2xx and 304; anything else is
// an error that names the URL (see the sentinels and StatusError).
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	x := &exchange{}
	ctx, stop := withClock(ctx, c.cfg.Timeout, &x.clock)
	defer stop()
	// The request parses the URL: once per fetch, as every idle feed's 304
	// is one.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %s: bad URL: %w", r.URL, err)
	}
	if err := checkScheme(req.URL); err != nil {
		return nil, fmt.Errorf("fetch: %s: %w", r.URL, err)
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", r.Kind.accept())
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}

	x.client = http.Client{Transport: c.transport, CheckRedirect: x.redirects.check}
	resp, err := x.client.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, r.URL, err)
	}
	defer resp.Body.Close()

	out, err := c.read(r, resp, x.redirects.permanent)
	if err != nil {
		if final := resp.Request.URL.String(); final != r.URL {
			err = fmt.Errorf("redirected to %s: %w", final, err)
		}
		return nil, c.transportError(ctx, r.URL, err)
	}
	return out, nil
}

func (c *Client) read(r Request, resp *http.Response, permanent string) (*Response, error) {
	now := time.Now()
	final := resp.Request.URL.String()
	out := &Response{
		URL:               final,
		Status:            resp.StatusCode,
		ContentType:       resp.Header.Get("Content-Type"),
		ETag:              firstNonEmpty(resp.Header.Get("ETag"), r.ETag),
		LastModified:      firstNonEmpty(resp.Header.Get("Last-Modified"), r.LastModified),
		PermanentRedirect: permanent,
		RetryAfter:        httpcache.ParseRetryAfter(resp.Header.Get("Retry-After"), now),
		FreshUntil:        httpcache.FreshUntil(resp.Header, now),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, statusError(r.URL, final, resp, out.RetryAfter)
	}

	limit := c.cfg.MaxFeedBytes
	if r.Kind.pageSized() {
		limit = c.cfg.MaxPageBytes
	}
	if mt := mediaType(out.ContentType); isBinaryMedia(mt) && !(r.Kind == KindSitemap && isGzipMedia(mt)) {
		// Refuse without downloading a PDF or video we would throw away.
		return nil, fmt.Errorf("%w %q where %s expected", ErrUnsupportedType, mt, r.Kind.expected())
	}
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Cf-Mitigated")), "challenge") {
		// A challenge served with a 2xx is still a challenge, not content.
		return nil, &StatusError{URL: r.URL, Code: resp.StatusCode, Err: ErrBlocked}
	}
	encoding := resp.Header.Get("Content-Encoding")
	identity := encoding == "" || strings.EqualFold(encoding, "identity")
	var sizeHint int64
	if identity {
		if resp.ContentLength > limit {
			return nil, &tooLargeError{r.Kind.name(), limit}
		}
		sizeHint = resp.ContentLength
	}
	body, err := readBody(resp.Body, encoding, limit, sizeHint, r.Kind.name())
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if err := checkType(r.Kind, out.ContentType, body); err != nil {
		return nil, err
	}
	out.Body = body
	return out, nil
}

// transportError names the URL once and maps deadlines to ErrTimeout.
func (c *Client) transportError(ctx context.Context, rawURL string, err error) error {
	var se *StatusError
	if errors.As(err, &se) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		inner := ue.Err
		if ue.URL != rawURL {
			inner = fmt.Errorf("%s: %w", ue.URL, inner)
		}
		err = inner
	}
	if err == io.EOF {
		err = fmt.Errorf("server closed the connection without an answer: %w", err)
	}
	var netErr interface{ Timeout() bool }
	if errors.Is(context.Cause(ctx), errWholeRequest) {
		return fmt.Errorf("fetch: %s: %w (%v): %w", rawURL, errWholeRequest, c.cfg.Timeout, err)
	}
	timedOut := errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout())
	if timedOut && !errors.Is(err, ErrTooLarge) {
		return fmt.Errorf("fetch: %s: %w: %w", rawURL, ErrTimeout, err)
	}
	return fmt.Errorf("fetch: %s: %w", rawURL, err)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
