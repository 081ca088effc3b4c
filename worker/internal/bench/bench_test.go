package bench

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/article"
	"github.com/wiresift/wiresift/worker/dedup"
)

// TestVariantIsADifferentStoryOfTheSameSize checks what BenchmarkIngest
// relies on: a copy keeps the page's size and structure but reads as a
// different story to the dedup layer, and hides the declared canonical URL.
func TestVariantIsADifferentStoryOfTheSameSize(t *testing.T) {
	page := []byte(`<html><head><title>Rain falls on the plain</title>` +
		`<link rel="canonical" href="https://news.example/rain"><meta property="og:url" content="https://news.example/rain"></head>` +
		`<body><article><h1>Rain falls on the plain</h1>` +
		paragraphs(12) +
		`</article></body></html>`)
	orig := cleanText(t, page)
	for _, k := range []int{1, 2, 27} {
		v := Variant(page, k)
		if len(v) != len(page) {
			t.Errorf("copy %d: %d bytes; want %d (the real size)", k, len(v), len(page))
		}
		if bytes.Contains(v, []byte("canonical")) || bytes.Contains(v, []byte("og:url")) {
			t.Errorf("copy %d still declares a canonical URL: %s", k, v[:200])
		}
		if !bytes.Contains(v, []byte("&amp;")) || !bytes.Contains(v, []byte("<article>")) {
			t.Errorf("copy %d: tags or entities changed; want only text letters mapped", k)
		}
		text := cleanText(t, v)
		if m, ok := dedup.Best(dedup.Make(text), []dedup.Candidate{candidate(orig)}); ok {
			t.Errorf("copy %d: dedup folds it into the original (similarity %.2f); want a different story", k, m.Similarity)
		}
	}
	if !bytes.Equal(Variant(page, 0), page) {
		t.Error("copy 0 differs from the page; want the page itself")
	}
	if bytes.Equal(Variant(page, 1), Variant(page, 2)) {
		t.Error("copies 1 and 2 are equal; want different stories")
	}
}

// paragraphs writes n distinct English paragraphs.
func paragraphs(n int) string {
	words := strings.Fields("the weather office said on Tuesday that heavy rain would fall across " +
		"southern plain for most of week and farmers welcomed it while river towns prepared sandbags")
	var b strings.Builder
	for i := range n {
		b.WriteString("<p>")
		for j := range 30 {
			b.WriteString(words[(i*7+j*(i+3))%len(words)] + " ")
		}
		b.WriteString("&amp; more.</p>")
	}
	return b.String()
}

func cleanText(t *testing.T, page []byte) string {
	t.Helper()
	res, err := article.CleanPage(page, "text/html; charset=utf-8", "http://127.0.0.1/p", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Text) < 200 {
		t.Fatalf("extracted %d bytes of text; want the article's paragraphs", len(res.Text))
	}
	return res.Text
}

func candidate(text string) dedup.Candidate {
	fp := dedup.Make(text)
	return dedup.Candidate{ArticleID: 1, Sketch: fp.Sketch, Words: fp.Words, Shared: len(fp.Keys)}
}

// TestSiteAnswersConditionalGETWith304 checks the steady state that
// BenchmarkPoll304 measures, and that pages are served whole.
func TestSiteAnswersConditionalGETWith304(t *testing.T) {
	page := []byte("<html><body><p>page</p></body></html>")
	s := &Site{Feeds: 2, Items: 3, Page: func(f, i int) []byte { return page }}
	s.Start()
	defer s.Close()
	cases := []struct {
		name, url, etag string
		status          int
	}{
		{"full feed", s.FeedURL(1), "", http.StatusOK},
		{"feed with its ETag", s.FeedURL(1), ETag, http.StatusNotModified},
		{"feed with another ETag", s.FeedURL(0), `"v0"`, http.StatusOK},
		{"feed past the last", s.FeedURL(2), "", http.StatusNotFound},
		{"page", s.PageURL(1, 2), "", http.StatusOK},
		{"page past the last item", s.PageURL(1, 3), "", http.StatusNotFound},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(http.MethodGet, c.url, nil)
		if c.etag != "" {
			req.Header.Set("If-None-Match", c.etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d; want %d", c.name, resp.StatusCode, c.status)
		}
		if c.name == "full feed" && bytes.Count(body, []byte("<item>")) != 3 {
			t.Errorf("%s: %d items; want 3", c.name, bytes.Count(body, []byte("<item>")))
		}
	}
	if got := s.Counts(); got.NotModified != 1 || got.PageHits != 1 {
		t.Errorf("counts %+v; want 1 not-modified and 1 page hit", got)
	}
}

// TestBareParseCountsEveryByte checks the rate's arithmetic on pages whose
// size is known.
func TestBareParseCountsEveryByte(t *testing.T) {
	pages := GeneratePages(4)
	r, err := BareParse(pages, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pages != 8 || r.Workers != 2 || r.BytesPerSec <= 0 {
		t.Errorf("BareParse: %+v; want 8 pages on 2 workers at a positive rate", r)
	}
}
