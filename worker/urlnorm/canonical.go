// Package urlnorm turns an article URL into its canonical form, the URL
// identity of the dedup layer "same_url": the same page reached through two
// feeds or two campaign links gets one URL, and two different pages never do.
package urlnorm

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// ErrNotHTTP is returned for URLs that are not absolute http(s) URLs with a host.
var ErrNotHTTP = errors.New("urlnorm: not an absolute http(s) URL")

// Canonical normalises an absolute http(s) URL: scheme and host lower-case,
// default port, user info and fragment dropped, dot segments resolved,
// percent-escapes in one form, a trailing slash removed, and tracking
// parameters dropped. Other query parameters stay, in a stable order, because
// the query is often the article's identity (/view.html?idx=123). Canonical is
// idempotent.
func Canonical(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotHTTP, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Opaque != "" {
		return "", fmt.Errorf("%w: %q", ErrNotHTTP, raw)
	}
	host, err := canonicalHost(scheme, u)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrNotHTTP, raw, err)
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(canonicalPath(u.EscapedPath()))
	if q := canonicalQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	// A "#!" fragment is a client-side route (old AJAX sites): it names the
	// page, so it stays. Any other fragment is a position within the page.
	if strings.HasPrefix(u.Fragment, "!") {
		b.WriteByte('#')
		b.WriteString(normaliseEscapes(u.EscapedFragment()))
	}
	return b.String(), nil
}

// canonicalHost lower-cases the host, drops a trailing dot and the scheme's
// default port, and writes the port without leading zeros.
func canonicalHost(scheme string, u *url.URL) (string, error) {
	name := strings.ToLower(u.Hostname())
	if strings.Contains(name, ":") { // IPv6 literal, possibly with a zone
		addr, _, _ := strings.Cut(name, "%")
		if net.ParseIP(addr) == nil {
			return "", errors.New("bad IPv6 host")
		}
		name = "[" + name + "]"
	} else {
		name = strings.TrimRight(name, ".")
		if name == "" || strings.ContainsAny(name, "[]/?#@ %\\") {
			return "", errors.New("no usable host")
		}
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n > 65535 {
			return "", errors.New("bad port")
		}
		port = strconv.Itoa(n)
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") || port == "" {
		return name, nil
	}
	return name + ":" + port, nil
}

// canonicalPath resolves dot segments (RFC 3986 5.2.4) and drops a trailing
// slash: /a/b/ and /a/b are one page on every CMS in practice, while double
// slashes and case stay, since servers may tell those apart.
func canonicalPath(escaped string) string {
	p := removeDotSegments(normaliseEscapes(escaped))
	p = strings.TrimRight(p, "/")
	if p == "" {
		return "/"
	}
	return p
}

func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

// canonicalQuery drops empty and tracking parameters and sorts the rest by
// name, keeping the order of repeated names (a[]=1&a[]=2 is a list).
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var kept []string
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		part = escapeRawQuery(normaliseEscapes(part))
		name, _, _ := strings.Cut(part, "=")
		if name == "" || isTracking(name) {
			continue
		}
		kept = append(kept, part)
	}
	sort.SliceStable(kept, func(i, j int) bool {
		ni, _, _ := strings.Cut(kept[i], "=")
		nj, _, _ := strings.Cut(kept[j], "=")
		return ni < nj
	})
	return strings.Join(kept, "&")
}

// normaliseEscapes decodes escapes of unreserved characters (%41 is A) and
// upper-cases the hex digits of the others, the two equivalences RFC 3986
// 6.2.2 allows; a malformed % is escaped itself so that it reads the same twice.
func normaliseEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteString(strings.ToUpper(s[i+1 : i+3]))
			}
			i += 2
			continue
		}
		b.WriteString("%25")
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// escapeRawQuery percent-encodes the spaces and non-ASCII bytes a query may
// hold raw: written raw, a trailing one would be trimmed as white space when
// the canonical URL is read again, and the URL would change (Canonical must
// be idempotent). Raw and escaped forms are one URL, as RFC 3987 maps them.
func escapeRawQuery(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r == ' ' || r >= 0x80 }) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ' ' || c >= 0x80 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
