package robots

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"
)

// Getter fetches a robots.txt. status is the HTTP status (0 when the
// server could not be reached); err only for a failure to get any answer.
type Getter func(ctx context.Context, url string) (status int, body []byte, err error)

// DefaultTTL is how long a robots.txt is kept: RFC 9309 asks that a cached
// copy be used for no more than 24 hours.
const DefaultTTL = 24 * time.Hour

// unreachableTTL is how long an unreachable robots.txt (5xx, network error)
// blocks its site before it is asked again.
const unreachableTTL = 10 * time.Minute

// Cache keeps each site's robots.txt rules. Safe for concurrent use; one
// fetch per site at a time.
type Cache struct {
	get     Getter
	product string
	ttl     time.Duration
	now     func() time.Time

	mu    sync.Mutex
	sites map[string]*site
}

type site struct {
	once    chan struct{} // closed when rules are set
	rules   *Rules
	expires time.Time
}

// NewCache builds a cache that fetches with get, for the crawler whose
// product token is product. ttl 0 means DefaultTTL; now nil means time.Now.
func NewCache(get Getter, product string, ttl time.Duration, now func() time.Time) *Cache {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Cache{get: get, product: product, ttl: ttl, now: now, sites: map[string]*site{}}
}

// Rules returns the rules of pageURL's site, fetching its robots.txt when
// not cached or expired: a 2xx is parsed, a 4xx means no rules (RFC 9309:
// "unavailable"), a 5xx or no answer means the site is off limits for now.
func (c *Cache) Rules(ctx context.Context, pageURL string) (*Rules, error) {
	u, err := url.Parse(pageURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("robots: %q is not an absolute URL", pageURL)
	}
	key := u.Scheme + "://" + u.Host
	for {
		c.mu.Lock()
		s := c.sites[key]
		if s == nil || (s.rules != nil && !c.now().Before(s.expires)) {
			s = &site{once: make(chan struct{})}
			c.sites[key] = s
			c.mu.Unlock()
			c.load(ctx, key, s)
			return s.rules, nil
		}
		c.mu.Unlock()
		select {
		case <-s.once:
			return s.rules, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (c *Cache) load(ctx context.Context, key string, s *site) {
	status, body, err := c.get(ctx, key+"/robots.txt")
	rules, ttl := AllowAll, c.ttl
	switch {
	case ctx.Err() != nil:
		rules, ttl = DisallowAll, 0 // interrupted: ask again next time
	case err != nil || status == 0 || status >= 500:
		rules, ttl = DisallowAll, unreachableTTL
	case status >= 200 && status < 300:
		rules = Parse(bytes.NewReader(body), c.product)
	}
	c.mu.Lock()
	s.rules, s.expires = rules, c.now().Add(ttl)
	c.mu.Unlock()
	close(s.once)
}

// URLAllowed reports whether pageURL may be fetched under its site's rules.
func (r *Rules) URLAllowed(pageURL string) bool {
	u, err := url.Parse(pageURL)
	if err != nil {
		return false
	}
	return r.Allowed(u.RequestURI())
}

// Delay is the Crawl-delay of pageURL's site if its robots.txt is cached,
// else 0: it never fetches, so asking it costs a request nothing.
func (c *Cache) Delay(pageURL string) time.Duration {
	u, err := url.Parse(pageURL)
	if err != nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sites[u.Scheme+"://"+u.Host]
	if s == nil || s.rules == nil {
		return 0
	}
	return s.rules.CrawlDelay
}
