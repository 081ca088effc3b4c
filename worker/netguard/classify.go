package netguard

import "net/netip"

// rangeReason is one address range that is not the public internet.
type rangeReason struct {
	prefix netip.Prefix
	reason string
}

// Most specific first: the metadata address must win over link-local.
var forbiddenRanges = []rangeReason{
	{netip.MustParsePrefix("169.254.169.254/32"), "cloud metadata service"},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified (this network)"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private network (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT (RFC 6598)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private network (RFC 1918)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation (TEST-NET-1)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private network (RFC 1918)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking (RFC 2544)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation (TEST-NET-2)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation (TEST-NET-3)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved (incl. broadcast)"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("100::/64"), "discard-only (RFC 6666)"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fc00::/7"), "private network (RFC 4193 unique local)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local (deprecated)"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// Classify returns why ip is not a public internet address, or "" when it is.
// An IPv6 address that carries an IPv4 one (IPv4-mapped or -compatible,
// NAT64, 6to4, Teredo; see embedded.go) is refused when the IPv4 address
// inside would be.
func Classify(ip netip.Addr) string {
	if !ip.IsValid() {
		return "invalid address"
	}
	ip = ip.WithZone("").Unmap()
	for _, r := range forbiddenRanges {
		if r.prefix.Contains(ip) {
			return r.reason
		}
	}
	for _, e := range embeddedIPv4(ip) {
		if r := Classify(e.ip); r != "" {
			return r + " via " + e.form + " " + e.ip.String()
		}
	}
	switch {
	case nat64Local.Contains(ip):
		// Translated by a local NAT64 of unknown prefix length: what it
		// reaches cannot be judged, and it is never the public internet.
		return "NAT64 local-use prefix (RFC 8215)"
	case ipv4Compatible.Contains(ip):
		// Deprecated and unroutable; a stack that still accepts it sends
		// it to the IPv4 address inside.
		return "IPv4-compatible address (deprecated, RFC 4291)"
	}
	return ""
}
