// Package netguard decides whether wiresift may connect to an address. Feeds
// and their item links are written by strangers, so a URL may point at the
// machine wiresift runs on, its private network or the cloud metadata service
// (server-side request forgery). The guard refuses those unless the operator
// exempts them with an Allowlist.
package netguard

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ErrForbiddenAddress is wrapped by every refusal, with the address and the reason.
var ErrForbiddenAddress = errors.New("netguard: forbidden address")

// ForbiddenError is a refusal: the address and why. It wraps
// ErrForbiddenAddress; errors.As gives the pipeline the reason to record.
type ForbiddenError struct {
	Addr   netip.AddrPort
	Reason string // as from Classify, e.g. "private network (RFC 1918)"
}

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("%v: %s (%s)", ErrForbiddenAddress, e.Addr, e.Reason)
}

func (e *ForbiddenError) Unwrap() error { return ErrForbiddenAddress }

// Check returns nil when wiresift may connect to ip:port, or a
// *ForbiddenError (wrapping ErrForbiddenAddress) that names the address and
// why it is refused.
func (a Allowlist) Check(ip netip.Addr, port uint16) error {
	ip = ip.WithZone("").Unmap()
	reason := Classify(ip)
	if reason == "" || a.allows(ip, port) {
		return nil
	}
	return &ForbiddenError{Addr: netip.AddrPortFrom(ip, port), Reason: reason}
}

// Control is a net.Dialer Control hook. The dialer calls it after DNS
// resolution and just before connect, with the literal IP it is about to
// connect to, so a name that resolves to a private address (including one
// that changes between a first check and the connect: DNS rebinding, or a
// redirect to another host) is refused at the last possible moment.
func (a Allowlist) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s (not an IP address: %v)", ErrForbiddenAddress, address, err)
	}
	return a.Check(ap.Addr(), ap.Port())
}
