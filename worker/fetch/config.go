// Package fetch downloads feeds and article pages from servers that strangers
// control: politely (conditional GET, compression, per-host limits, a named
// User-Agent) and safely (time and size bounds, a private-address guard
// checked at dial time, bounded redirects). It returns raw, decompressed
// bytes; charset decoding and parsing belong to later stages.
package fetch

import (
	"context"
	"net"
	"net/netip"
	"time"

	"github.com/wiresift/wiresift/worker/netguard"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxFeedBytes       = 20 << 20
	DefaultMaxPageBytes       = 10 << 20
	DefaultTimeout            = 30 * time.Second
	DefaultPerHostConcurrency = 2
	DefaultPerHostGap         = time.Second

	// Inner timeouts, each also capped by Config.Timeout.
	dialTimeout           = 10 * time.Second
	tlsHandshakeTimeout   = 10 * time.Second
	responseHeaderTimeout = 20 * time.Second
	// Headers beyond this are an attack or a broken server, not a feed.
	maxResponseHeaderBytes = 256 << 10
	maxRedirects           = 10
)

// Config sets up a Client. Zero values take the defaults above.
type Config struct {
	// UserAgent defaults to DefaultUserAgent("dev").
	UserAgent string
	// Allow exempts addresses from the private-address guard (-allow-net).
	Allow netguard.Allowlist

	// Body limits, counted after decompression too.
	MaxFeedBytes, MaxPageBytes int64
	// Timeout bounds the whole request, body included; dial, TLS handshake
	// and response-header timeouts apply inside it.
	Timeout time.Duration

	// PerHostConcurrency caps requests in flight to one host.
	PerHostConcurrency int
	// PerHostGap is the minimum time between two request starts to one host;
	// negative means no gap.
	PerHostGap time.Duration

	// Resolver maps a host name to its addresses; nil uses net.DefaultResolver.
	// A test hook: a fake resolver lets tests point names at private addresses
	// without any DNS.
	Resolver func(ctx context.Context, host string) ([]netip.Addr, error)
	// DialHook connects to an address the guard already allowed; nil dials
	// for real. A test hook: it can record dials instead of connecting.
	DialHook func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent("")
	}
	if c.MaxFeedBytes <= 0 {
		c.MaxFeedBytes = DefaultMaxFeedBytes
	}
	if c.MaxPageBytes <= 0 {
		c.MaxPageBytes = DefaultMaxPageBytes
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.PerHostConcurrency <= 0 {
		c.PerHostConcurrency = DefaultPerHostConcurrency
	}
	if c.PerHostGap == 0 {
		c.PerHostGap = DefaultPerHostGap
	}
	if c.PerHostGap < 0 {
		c.PerHostGap = 0
	}
	return c
}
