package netguard

import (
	"fmt"
	"net/netip"
	"strings"
)

// Allowlist exempts addresses from the guard: whole ranges, single IPs, or a
// single IP:port (for a local test server, say). The zero value exempts nothing.
type Allowlist struct {
	prefixes []netip.Prefix
	ports    []netip.AddrPort
}

// ParseAllowlist reads a comma-separated list such as
// "10.1.0.0/16,127.0.0.1:8089,::1,[::1]:8089". Spaces and empty entries are
// ignored; a bad entry is named in the error.
func ParseAllowlist(s string) (Allowlist, error) {
	var a Allowlist
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if err := a.add(entry); err != nil {
			return Allowlist{}, err
		}
	}
	return a, nil
}

func (a *Allowlist) add(entry string) error {
	if strings.Contains(entry, "/") {
		p, err := netip.ParsePrefix(entry)
		if err != nil {
			return fmt.Errorf("netguard: allowlist entry %q is not a valid CIDR range: %w", entry, err)
		}
		a.prefixes = append(a.prefixes, unmapPrefix(p).Masked())
		return nil
	}
	if ip, err := netip.ParseAddr(entry); err == nil {
		ip = ip.WithZone("").Unmap()
		a.prefixes = append(a.prefixes, netip.PrefixFrom(ip, ip.BitLen()))
		return nil
	}
	ap, err := netip.ParseAddrPort(entry)
	if err != nil {
		return fmt.Errorf("netguard: allowlist entry %q is not an IP, IP:port or CIDR range", entry)
	}
	if ap.Port() == 0 {
		return fmt.Errorf("netguard: allowlist entry %q has port 0", entry)
	}
	a.ports = append(a.ports, netip.AddrPortFrom(ap.Addr().WithZone("").Unmap(), ap.Port()))
	return nil
}

// unmapPrefix turns ::ffff:10.0.0.0/104 into 10.0.0.0/8 so it matches the
// unmapped addresses that Check compares.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if !p.Addr().Is4In6() {
		return p
	}
	bits := p.Bits() - 96
	if bits < 0 {
		bits = 0
	}
	return netip.PrefixFrom(p.Addr().Unmap(), bits)
}

func (a Allowlist) allows(ip netip.Addr, port uint16) bool {
	for _, p := range a.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	for _, ap := range a.ports {
		if ap.Addr() == ip && ap.Port() == port {
			return true
		}
	}
	return false
}

// String gives the list back in ParseAllowlist's syntax.
func (a Allowlist) String() string {
	var parts []string
	for _, p := range a.prefixes {
		if p.IsSingleIP() {
			parts = append(parts, p.Addr().String())
		} else {
			parts = append(parts, p.String())
		}
	}
	for _, ap := range a.ports {
		parts = append(parts, ap.String())
	}
	return strings.Join(parts, ",")
}
