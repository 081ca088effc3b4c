package feed

import (
	"bytes"
	"net/url"
	"strings"
)

// resolve makes ref absolute against base; it returns "" for an empty ref
// and ref unchanged when either cannot be parsed.
func resolve(base, ref string) string {
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil || r.IsAbs() {
		return r.String()
	}
	return b.ResolveReference(r).String()
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// describe says what a non-feed document looks like, for the error message.
func describe(text []byte, contentType string) string {
	head := bytes.ToLower(text[:min(len(text), 2048)])
	switch {
	case len(bytes.TrimSpace(text)) == 0:
		return "empty"
	case strings.Contains(strings.ToLower(contentType), "html"),
		bytes.Contains(head, []byte("<html")), bytes.Contains(head, []byte("<!doctype html")):
		return "an HTML page (look for <link rel=\"alternate\"> feeds)"
	}
	return "not RSS, Atom or JSON Feed"
}
