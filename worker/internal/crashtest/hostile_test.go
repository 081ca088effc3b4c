package crashtest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/netguard"

	"github.com/wiresift/wiresift/worker/htmlparse"
	"golang.org/x/net/html"

	articlepkg "github.com/wiresift/wiresift/worker/article"
	"github.com/wiresift/wiresift/worker/feed"
)

// The hostile shapes of issue 14, each through the stage it used to
// exhaust, with the bound it must now keep (peak heap above the input):
//
//	go test ./worker/internal/crashtest -run '^$' -bench 'Hostile|Limit' -benchtime 1x

func BenchmarkHostileFormattingPageCleaned(b *testing.B) {
	page := FormattingPage(10 * mb)
	b.SetBytes(int64(len(page)))
	benchPeak(b, 300*mb, func(b *testing.B) {
		_, err := articlepkg.CleanPage(page, "text/html; charset=utf-8", "https://news.example/a/1", nil)
		if !errors.Is(err, htmlparse.ErrTooComplex) {
			b.Fatalf("CleanPage of 10 MB of <p><i>x: %v, want htmlparse.ErrTooComplex", err)
		}
	})
}

func BenchmarkHostileTinyItemsFeedParsed(b *testing.B) {
	body := TinyItemsFeed("/", 20*mb)
	b.SetBytes(int64(len(body)))
	benchPeak(b, 300*mb, func(b *testing.B) {
		doc, err := feed.Parse(body, "application/rss+xml", "https://news.example/feed")
		if err != nil {
			b.Fatalf("Parse of 20 MiB of tiny items: %v", err)
		}
		if len(doc.Items) != feed.MaxItems || doc.Unread < 600_000 {
			b.Fatalf("Parse of 20 MiB of tiny items: %d read, %d unread; want %d read and the 600,000-odd others counted",
				len(doc.Items), doc.Unread, feed.MaxItems)
		}
	})
}

func BenchmarkHostileNestedExtensionFeedParsed(b *testing.B) {
	body := NestedExtensionFeed(20 * mb)
	b.SetBytes(int64(len(body)))
	benchPeak(b, 300*mb, func(b *testing.B) {
		_, err := feed.Parse(body, "application/rss+xml", "https://news.example/feed")
		if !errors.Is(err, feed.ErrTooComplex) || !strings.Contains(err.Error(), "nested over") {
			b.Fatalf("Parse of 20 MiB of nested extension elements: %v, want feed.ErrTooComplex naming the depth", err)
		}
	})
}

// The body has two real layers; the header claims 40,000, which is what
// used to make the fetcher stack 40,000 decompressors.
func BenchmarkHostileStackedEncodingsFetched(b *testing.B) {
	body := GzipLayers(hugeFeed(10, 100), 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", StackedEncoding(40_000))
		w.Write(body)
	}))
	defer srv.Close()
	allow, err := netguard.ParseAllowlist(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		b.Fatal(err)
	}
	c := fetch.New(fetch.Config{Allow: allow, Timeout: time.Minute, PerHostGap: -1})
	benchPeak(b, 32*mb, func(b *testing.B) {
		_, err := c.Get(context.Background(), fetch.Request{URL: srv.URL + "/feed", Kind: fetch.KindFeed})
		if !errors.Is(err, fetch.ErrBadEncoding) {
			b.Fatalf("fetch with 40,000 stacked encodings: %v, want fetch.ErrBadEncoding", err)
		}
	})
}

func BenchmarkLimitPagesCleaned(b *testing.B) {
	for name, page := range LimitPages() {
		b.Run(name, func(b *testing.B) {
			b.ReportMetric(float64(len(page))/mb, "page-MB")
			b.ReportMetric(float64(treeNodes(b, page)), "nodes")
			benchPeak(b, 300*mb, func(b *testing.B) {
				_, err := articlepkg.CleanPage(page, "text/html; charset=utf-8", "https://news.example/a/1", nil)
				if errors.Is(err, htmlparse.ErrTooComplex) {
					b.Fatalf("CleanPage: %v; want a page under the budget", err)
				}
			})
		})
	}
}

func BenchmarkLimitFeedsParsed(b *testing.B) {
	for name, body := range LimitFeeds() {
		b.Run(name, func(b *testing.B) {
			b.ReportMetric(float64(len(body))/mb, "feed-MB")
			benchPeak(b, 300*mb, func(b *testing.B) {
				if _, err := feed.Parse(body, "application/rss+xml", "https://news.example/feed"); err != nil {
					b.Fatalf("Parse: %v; want a feed under the limits", err)
				}
			})
		})
	}
}

// treeNodes is the count of nodes html.Parse builds for page.
func treeNodes(b *testing.B, page []byte) int {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for range doc.Descendants() {
		n++
	}
	return n + 1
}
