package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract feeds arbitrary bytes to Extract and FromFeedContent: they
// must not panic, and their text must be valid UTF-8 without NUL.
//
//	go test ./worker/extract -run '^$' -fuzz FuzzExtract -fuzztime 60s
func FuzzExtract(f *testing.F) {
	f.Add([]byte("<html><body><article><p>Hello, world. This is prose.</p></article></body></html>"))
	f.Add([]byte("<div><div><p>\xff\xfe\x00 broken</p>"))
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","articleBody":"x"}]}</script>`))
	f.Add([]byte(`<p class="byline">by , </p><a rel="author">von ; Anna</a><p>Text.</p>`))
	f.Add([]byte(`<div itemprop="articleBody"><script type="text/template"><p>Body, in a template.</p><div itemprop="articleBody"><script type="text/template"><b>nested`))
	f.Fuzz(func(t *testing.T, page []byte) {
		res, _ := Extract(page, Options{})
		if res == nil {
			t.Fatal("got nil result, want a result even for junk")
		}
		content, _ := FromFeedContent(string(page), nil)
		for _, s := range []string{res.Text, res.Title, res.Author, res.SiteName, content} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("output is not clean UTF-8: %q", s)
			}
		}
	})
}
