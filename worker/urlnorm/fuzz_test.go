package urlnorm

import (
	"net/url"
	"path"
	"strings"
	"testing"
)

// FuzzCanonicalKeepsArticlesApart checks that two article paths on one host
// get one canonical URL only when they name the same resource: the same
// path once percent-escapes are decoded, dot segments resolved and a
// trailing slash dropped. Merging two articles would lose one of them.
//
//	go test ./worker/urlnorm -run '^$' -fuzz FuzzCanonicalKeepsArticlesApart -fuzztime 60s
func FuzzCanonicalKeepsArticlesApart(f *testing.F) {
	f.Add("/2024/05/01/story-one", "/2024/05/01/story-two")
	f.Add("/a/./b/../c/", "/a/c")
	f.Add("/news/%7Euser", "/news/~user")
	f.Add("/news/a%2Fb", "/news/a/b")
	f.Add("/World/Story", "/world/story")
	f.Add("/a//b", "/a/b")
	f.Fuzz(func(t *testing.T, a, b string) {
		ca, oka := canonicalArticle(a)
		cb, okb := canonicalArticle(b)
		if !oka || !okb || ca != cb {
			return
		}
		if ra, rb := samePathForm(a), samePathForm(b); ra != rb {
			t.Fatalf("Canonical maps two different article paths to %q:\n%q (%q)\n%q (%q)", ca, a, ra, b, rb)
		}
	})
}

// canonicalArticle canonicalises p as a path on one fixed host; what is not
// a plain path (a query or fragment marker, a URL the parser refuses) is
// left out of the property. So is white space at either end: Canonical
// trims it as text around a URL (RFC 3986 appendix C), since a URL cannot
// hold a raw space and feeds pad their links with newlines.
func canonicalArticle(p string) (string, bool) {
	if strings.ContainsAny(p, "?#") || strings.TrimSpace(p) != p {
		return "", false
	}
	if _, err := url.Parse("https://news.example/" + strings.TrimPrefix(p, "/")); err != nil {
		return "", false
	}
	c, err := Canonical("https://news.example/" + strings.TrimPrefix(p, "/"))
	return c, err == nil
}

// samePathForm is a coarser equivalence than Canonical's, written
// independently: dot segments resolved by net/url (RFC 3986 5.2.4, which
// runs before any slash merging: /a//.. is /a/), then fully decoded, cleaned
// (which also merges double slashes) and without a trailing slash. Paths it
// keeps apart are different pages.
func samePathForm(p string) string {
	u, err := url.Parse("https://news.example/" + strings.TrimPrefix(p, "/"))
	if err != nil {
		return p
	}
	resolved := u.ResolveReference(&url.URL{Path: u.Path}).Path
	return strings.TrimRight(path.Clean("/"+resolved), "/")
}
