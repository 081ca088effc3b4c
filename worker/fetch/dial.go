package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/wiresift/wiresift/worker/netguard"
)

// guardedDialer resolves a host itself and connects only to addresses the
// guard allows. The transport calls it for every connection, redirect hops
// included, so no URL reaches a private address by redirecting there.
type guardedDialer struct {
	allow   netguard.Allowlist
	resolve func(ctx context.Context, host string) ([]netip.Addr, error)
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
}

func newGuardedDialer(cfg Config, timeout timeouts) *guardedDialer {
	d := &guardedDialer{allow: cfg.Allow, resolve: cfg.Resolver, dial: cfg.DialHook}
	if d.resolve == nil {
		d.resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	if d.dial == nil {
		real := &net.Dialer{
			Timeout: timeout.dial,
			// Control runs after resolution and right before connect, on the
			// literal IP the socket is about to reach. The pre-check in
			// DialContext already refused forbidden addresses; this second
			// check is the one that cannot be bypassed by any resolver path.
			Control: cfg.Allow.Control,
		}
		d.dial = real.DialContext
	}
	return d
}

// DialContext checks each resolved address with the guard and dials the
// allowed ones in order, by IP, so the address checked is the address
// connected to: a DNS answer that changes between check and connect
// (rebinding) cannot slip through.
func (d *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("dial %s: bad port: %w", addr, err)
	}
	ips, err := d.lookup(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	var errs []error
	for _, ip := range ips {
		if !fitsNetwork(network, ip) {
			continue
		}
		if err := d.allow.Check(ip, uint16(port)); err != nil {
			errs = append(errs, err)
			continue
		}
		conn, err := d.dial(ctx, network, netip.AddrPortFrom(ip, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("resolve %s: no %s address", host, network)
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	return nil, dialErrors(errs)
}

// dialErrors reports every address tried on one line; errors.Is and
// errors.As see each of them.
type dialErrors []error

func (e dialErrors) Error() string {
	parts := make([]string, len(e))
	for i, err := range e {
		parts[i] = err.Error()
	}
	return strings.Join(parts, "; ")
}

func (e dialErrors) Unwrap() []error { return e }

func (d *guardedDialer) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip.Unmap()}, nil
	}
	ips, err := d.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	for i := range ips {
		ips[i] = ips[i].Unmap()
	}
	return ips, nil
}

func fitsNetwork(network string, ip netip.Addr) bool {
	switch network {
	case "tcp4":
		return ip.Is4()
	case "tcp6":
		return ip.Is6()
	}
	return true
}
