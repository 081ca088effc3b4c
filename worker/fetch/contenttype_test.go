package fetch

import (
	"context"
	"net/http"
	"testing"
)

func TestContentTypes(t *testing.T) {
	const html = "<!DOCTYPE html><html><head><title>x</title></head><body><p>text</p></body></html>"
	const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>`
	const jsonFeed = `{"version": "https://jsonfeed.org/version/1.1", "items": []}`
	gzipMagic := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}
	utf16Feed := []byte{0xFF, 0xFE, '<', 0, '?', 0, 'x', 0, 'm', 0, 'l', 0}
	tests := []struct {
		name        string
		kind        Kind
		contentType string
		body        []byte
		wantOK      bool
	}{
		{"PDF where a page is expected", KindPage, "application/pdf", []byte("%PDF-1.7\n..."), false},
		{"image where a page is expected", KindPage, "image/jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0}, false},
		{"PDF labelled octet-stream", KindPage, "application/octet-stream", []byte("%PDF-1.7\n..."), false},
		{"HTML page", KindPage, "text/html; charset=windows-1251", []byte(html), true},
		{"XHTML page", KindPage, "application/xhtml+xml", []byte(html), true},
		{"HTML page without a type", KindPage, "", []byte(html), true},
		{"HTML page labelled text/plain", KindPage, "text/plain", []byte(html), true},
		{"plain text where a page is expected", KindPage, "text/plain", []byte("just words"), false},
		{"RSS", KindFeed, "application/rss+xml", []byte(rssBody), true},
		{"Atom as text/xml", KindFeed, "text/xml", []byte(atom), true},
		{"JSON Feed", KindFeed, "application/feed+json", []byte(jsonFeed), true},
		{"JSON Feed as application/json", KindFeed, "application/json", []byte(jsonFeed), true},
		{"feed labelled text/plain", KindFeed, "text/plain", []byte(rssBody), true},
		{"feed labelled octet-stream", KindFeed, "application/octet-stream", []byte("\n  " + atom), true},
		{"feed with a BOM and no type", KindFeed, "", append([]byte{0xEF, 0xBB, 0xBF}, rssBody...), true},
		{"UTF-16 feed labelled text/plain", KindFeed, "text/plain", utf16Feed, true},
		{"HTML page for autodiscovery", KindFeed, "text/html", []byte(html), true},
		{"image where a feed is expected", KindFeed, "image/png", []byte("\x89PNG\r\n\x1a\n"), false},
		{"PDF where a feed is expected", KindFeed, "application/pdf", []byte("%PDF-1.4"), false},
		{"plain text where a feed is expected", KindFeed, "text/plain", []byte("not a feed"), false},
		{"gzip sitemap", KindSitemap, "application/x-gzip", gzipMagic, true},
		{"gzip sitemap as octet-stream", KindSitemap, "application/octet-stream", gzipMagic, true},
		{"gzip where a feed is expected", KindFeed, "application/x-gzip", gzipMagic, false},
		{"XML sitemap", KindSitemap, "application/xml", []byte(`<urlset></urlset>`), true},
		{"image where a sitemap is expected", KindSitemap, "image/png", []byte("\x89PNG\r\n\x1a\n"), false},
		{"robots.txt", KindRobots, "text/plain", []byte("User-agent: *\nDisallow: /x\n"), true},
		{"robots.txt where a page is expected", KindPage, "text/plain", []byte("User-agent: *\nDisallow: /x\n"), false},
		{"PDF where a robots.txt is expected", KindRobots, "application/pdf", []byte("%PDF-1.4"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				} else {
					w.Header()["Content-Type"] = nil // stop net/http from sniffing one
				}
				w.Write(tt.body)
			})
			resp, err := c.Get(context.Background(), Request{URL: srv.URL, Kind: tt.kind})
			if tt.wantOK {
				if err != nil {
					t.Fatalf("got %v, want the body accepted", err)
				}
				if string(resp.Body) != string(tt.body) {
					t.Fatalf("body = %q, want %q", resp.Body, tt.body)
				}
				return
			}
			wantErrIs(t, err, ErrUnsupportedType)
			wantNamesURL(t, err, srv.URL)
		})
	}
}
