package article

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wiresift/wiresift/worker/textnorm"
)

// FuzzCleanPage runs ingest's page cleaning (charset decoding, extraction,
// normalisation) on any bytes, once under the fuzzed Content-Type and once
// with none, so that both the header and the page's own charset
// declarations are exercised. It must not panic, and what it returns must
// be storable: valid UTF-8 without NUL, already normalised.
//
//	go test ./worker/pipeline -run '^$' -fuzz FuzzCleanPage -fuzztime 60s
func FuzzCleanPage(f *testing.F) {
	f.Add([]byte("<html><head><title>T</title></head><body><article><p>One sentence here. Another one there.</p></article></body></html>"), "text/html; charset=utf-8")
	f.Add([]byte("<meta charset=\"koi8-r\"><p>\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2.</p>"), "")
	f.Add([]byte("\xfe\xff\x00<\x00p\x00>\x00h\x00i"), "text/html; charset=utf-16")
	f.Add([]byte("<div><div><div><p>deep\x00 \xff text</p>"), "text/html; charset=iso-8859-1")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		for _, ct := range []string{contentType, ""} {
			res, err := CleanPage(body, ct, "https://news.example/a", nil)
			if err != nil {
				continue
			}
			for _, s := range []string{res.Title, res.Text} {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					t.Fatalf("CleanPage under %q: want clean UTF-8, got %q", ct, s)
				}
				if n := textnorm.Normalize(s); n != s {
					t.Fatalf("CleanPage under %q: want normalised text, got %q (normalised: %q)", ct, s, n)
				}
			}
		}
	})
}
