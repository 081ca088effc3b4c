package netguard

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		ip         string
		wantReason string // substring; "" means public
	}{
		{"169.254.169.254", "cloud metadata"},
		{"169.254.1.1", "link-local"},
		{"10.0.0.1", "RFC 1918"},
		{"172.16.5.4", "RFC 1918"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "RFC 1918"},
		{"127.0.0.1", "loopback"},
		{"127.0.0.2", "loopback"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.128.0.1", ""},
		{"224.0.0.1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"::1", "loopback"},
		{"fd00::1", "RFC 4193"},
		{"fd00:ec2::254", "RFC 4193"},
		{"fe80::1%eth0", "link-local"},
		{"ff02::1", "multicast"},
		{"::ffff:10.0.0.1", "RFC 1918"},
		{"::ffff:169.254.169.254", "cloud metadata"},
		{"64:ff9b::a00:1", "(RFC 1918) via NAT64"},
		{"64:ff9b::808:808", ""},
		{"8.8.8.8", ""},
		// IPv4-compatible (::a.b.c.d): the embedded address, else deprecated.
		{"::127.0.0.1", "loopback via IPv4-compatible 127.0.0.1"},
		{"::a9fe:a9fe", "cloud metadata service via IPv4-compatible"},
		{"::10.0.0.1", "(RFC 1918) via IPv4-compatible"},
		{"::8.8.8.8", "IPv4-compatible address (deprecated"},
		// IPv4-translated (SIIT, ::ffff:0:a.b.c.d).
		{"::ffff:0:127.0.0.1", "loopback via IPv4-translated"},
		{"::ffff:0:8.8.8.8", ""},
		// NAT64 well-known prefix.
		{"64:ff9b::127.0.0.1", "loopback via NAT64"},
		{"64:ff9b::a9fe:a9fe", "cloud metadata service via NAT64"},
		// NAT64 local-use /48: the /96 reading named, the whole range refused
		// (the operator's prefix length, so the IPv4 position, is unknown).
		{"64:ff9b:1::7f00:1", "loopback via NAT64 local-use 127.0.0.1"},
		{"64:ff9b:1:a00:1::", "via NAT64 local-use"},
		{"64:ff9b:1::a9:fea9:fe00:0", "via NAT64 local-use"},
		{"64:ff9b:1::808:808", "NAT64 local-use prefix (RFC 8215)"},
		// 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
		{"2002:7f00:1::1", "loopback via 6to4 127.0.0.1"},
		{"2002:a9fe:a9fe::", "cloud metadata service via 6to4"},
		{"2002:c0a8:101:1::1", "(RFC 1918) via 6to4 192.168.1.1"},
		{"2002:808:808::1", ""},
		// Teredo: the server in clear, the client XORed with ones.
		{"2001:0:a00:1::1", "(RFC 1918) via Teredo server 10.0.0.1"},
		{"2001:0:808:808:0:f227:80ff:fffe", "loopback via Teredo client 127.0.0.1"},
		{"2001:0:808:808:0:f227:5601:5601", "cloud metadata service via Teredo client"},
		{"2001:0:808:808:0:f227:f7f7:f7f7", ""},
		{"2001:4860:4860::8888", ""},
		{"93.184.216.34", ""},
		{"2606:4700::1111", ""},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			got := Classify(netip.MustParseAddr(tt.ip))
			if tt.wantReason == "" && got != "" {
				t.Fatalf("Classify(%s) = %q, want public (\"\")", tt.ip, got)
			}
			if tt.wantReason != "" && !strings.Contains(got, tt.wantReason) {
				t.Fatalf("Classify(%s) = %q, want a reason containing %q", tt.ip, got, tt.wantReason)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	allow, err := ParseAllowlist("10.1.0.0/16, 127.0.0.1:8089,::1,[fd00::5]:443")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		ip      string
		port    uint16
		allowed bool
	}{
		{"public address", "93.184.216.34", 80, true},
		{"exempt range", "10.1.2.3", 80, true},
		{"private outside exempt range", "10.2.0.1", 80, false},
		{"exempt ip:port", "127.0.0.1", 8089, true},
		{"exempt ip on another port", "127.0.0.1", 8090, false},
		{"exempt IPv6 address any port", "::1", 9999, true},
		{"exempt IPv6 ip:port", "fd00::5", 443, true},
		{"exempt IPv6 ip on another port", "fd00::5", 80, false},
		{"mapped form of exempt range", "::ffff:10.1.0.9", 80, true},
		{"metadata", "169.254.169.254", 80, false},
		{"other loopback", "127.0.0.2", 8089, false},
		// An exemption names addresses, not the IPv6 forms that carry them.
		{"IPv4-compatible form of exempt ip", "::7f00:1", 8089, false},
		{"6to4 form of exempt range", "2002:a01:203::1", 80, false},
		{"NAT64 form of exempt range", "64:ff9b::a01:203", 80, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := allow.Check(netip.MustParseAddr(tt.ip), tt.port)
			if tt.allowed && err != nil {
				t.Fatalf("Check(%s, %d) = %v, want allowed", tt.ip, tt.port, err)
			}
			if !tt.allowed {
				if !errors.Is(err, ErrForbiddenAddress) {
					t.Fatalf("Check(%s, %d) = %v, want ErrForbiddenAddress", tt.ip, tt.port, err)
				}
				if !strings.Contains(err.Error(), tt.ip) {
					t.Fatalf("error %q does not name the address %s", err, tt.ip)
				}
				var fe *ForbiddenError
				if !errors.As(err, &fe) || fe.Reason != Classify(netip.MustParseAddr(tt.ip)) {
					t.Fatalf("error %v: want a *ForbiddenError with reason %q", err, Classify(netip.MustParseAddr(tt.ip)))
				}
			}
		})
	}
}

func TestControlRefusesBeforeConnect(t *testing.T) {
	var a Allowlist
	if err := a.Control("tcp4", "10.0.0.1:80", nil); !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("Control(10.0.0.1:80) = %v, want ErrForbiddenAddress", err)
	}
	if err := a.Control("tcp6", "[2606:4700::1111]:443", nil); err != nil {
		t.Fatalf("Control(public IPv6) = %v, want nil", err)
	}
	for _, addr := range []string{"[::127.0.0.1]:80", "[::a9fe:a9fe]:80", "[64:ff9b:1::a00:1]:80", "[2002:a9fe:a9fe::1]:80", "[2001:0:a00:1::1]:80"} {
		if err := a.Control("tcp6", addr, nil); !errors.Is(err, ErrForbiddenAddress) {
			t.Fatalf("Control(%s) = %v, want ErrForbiddenAddress", addr, err)
		}
	}
	if err := a.Control("tcp", "not-an-ip:80", nil); !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("Control(unresolved name) = %v, want ErrForbiddenAddress", err)
	}
}

// TestAllowlistExemptsEmbeddedFormsItNames: an operator who runs a 6to4 or
// NAT64 network can still exempt it by naming the IPv6 range itself.
func TestAllowlistExemptsEmbeddedFormsItNames(t *testing.T) {
	allow, err := ParseAllowlist("2002:a01::/32,64:ff9b::a01:0/112,::127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"2002:a01:203::1", "64:ff9b::a01:203", "::127.0.0.1"} {
		if err := allow.Check(netip.MustParseAddr(ip), 80); err != nil {
			t.Errorf("Check(%s) = %v, want it exempt", ip, err)
		}
	}
	for _, ip := range []string{"2002:a02:203::1", "64:ff9b::a02:203", "127.0.0.1", "::127.0.0.2"} {
		if err := allow.Check(netip.MustParseAddr(ip), 80); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("Check(%s) = %v, want a refusal", ip, err)
		}
	}
}

func TestParseAllowlist(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // String() of the result
		wantErr string // substring naming the bad entry
	}{
		{"empty", "", "", ""},
		{"mixed", "10.1.0.0/16,127.0.0.1:8089,::1", "10.1.0.0/16,::1,127.0.0.1:8089", ""},
		{"host bits masked", "10.1.2.3/16", "10.1.0.0/16", ""},
		{"single-ip CIDR", "127.0.0.1/32", "127.0.0.1", ""},
		{"spaces and empty entries", " 10.0.0.1 , ,", "10.0.0.1", ""},
		{"bad CIDR", "10.0.0.0/33", "", `"10.0.0.0/33"`},
		{"host name", "127.0.0.1,localhost", "", `"localhost"`},
		{"port zero", "127.0.0.1:0", "", `"127.0.0.1:0"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseAllowlist(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseAllowlist(%q) error = %v, want one naming %s", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAllowlist(%q) = %v", tt.in, err)
			}
			if got := a.String(); got != tt.want {
				t.Fatalf("ParseAllowlist(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
