package netguard

import "net/netip"

// IPv6 ranges whose addresses carry an IPv4 address inside: packets to them
// end up at that IPv4 address (through a translator, a 6to4 relay or a
// Teredo server), so the IPv4 address is judged as if it had been dialed.
var (
	// ::a.b.c.d, deprecated by RFC 4291 and never assigned; ::, ::1 and the
	// mapped range are judged before it.
	ipv4Compatible = netip.MustParsePrefix("::/96")
	// ::ffff:0:a.b.c.d, the SIIT form of RFC 2765.
	ipv4Translated = netip.MustParsePrefix("::ffff:0:0:0/96")
	// The NAT64 well-known prefix of RFC 6052, IPv4 in the last 32 bits.
	nat64 = netip.MustParsePrefix("64:ff9b::/96")
	// The NAT64 local-use prefix of RFC 8215: an operator picks a prefix
	// length inside it, so where the IPv4 address sits cannot be known; the
	// whole range is refused, naming the /96 reading when it is forbidden.
	nat64Local = netip.MustParsePrefix("64:ff9b:1::/48")
	// 6to4 (RFC 3056): 2002:AABB:CCDD::/48 is the IPv4 address AA.BB.CC.DD.
	sixToFour = netip.MustParsePrefix("2002::/16")
	// Teredo (RFC 4380): 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC, the server
	// in clear, the client's port and address XORed with ones.
	teredo = netip.MustParsePrefix("2001::/32")
)

// embedded is an IPv4 address found inside an IPv6 one, with the form it
// came in.
type embedded struct {
	ip   netip.Addr
	form string
}

// embeddedIPv4 returns the IPv4 addresses ip carries, or nil when it is not
// one of the forms above. ip is already unmapped.
func embeddedIPv4(ip netip.Addr) []embedded {
	if !ip.Is6() {
		return nil
	}
	b := ip.As16()
	at := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{b[i], b[i+1], b[i+2], b[i+3]}) }
	switch {
	case nat64.Contains(ip):
		return []embedded{{at(12), "NAT64"}}
	case nat64Local.Contains(ip):
		return []embedded{{at(12), "NAT64 local-use"}}
	case sixToFour.Contains(ip):
		return []embedded{{at(2), "6to4"}}
	case teredo.Contains(ip):
		client := at(12).As4()
		for i := range client {
			client[i] ^= 0xff
		}
		return []embedded{{at(4), "Teredo server"}, {netip.AddrFrom4(client), "Teredo client"}}
	case ipv4Translated.Contains(ip):
		return []embedded{{at(12), "IPv4-translated"}}
	case ipv4Compatible.Contains(ip):
		return []embedded{{at(12), "IPv4-compatible"}}
	}
	return nil
}
