package crashtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	articlepkg "github.com/wiresift/wiresift/worker/article"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/htmlparse"
	"github.com/wiresift/wiresift/worker/netguard"
)

// The resource-bound benchmarks feed hostile sizes and shapes to the stages
// and report the peak heap each needed (peak-heap-MB, above the input
// itself). A stage may process the input or refuse it; either way its peak
// must stay under the bound named here, or the benchmark fails.
//
//	go test ./worker/internal/crashtest -run '^$' -bench Bounds -benchtime 1x   (or: make bench)

const mb = 1 << 20

// hugePage is a news page of size bytes: chrome, then an article of many
// paragraphs, with links and inline markup in them.
func hugePage(size int) []byte {
	var b strings.Builder
	b.Grow(size + 4096)
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>A very long report</title></head><body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header><main><article><h1>A very long report</h1>`)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d of the report says what the <a href=\"/p/%d\">officials</a> said, <em>with emphasis</em>, and ends with a full stop.</p>\n", i, i)
	}
	b.WriteString(`</article></main><footer>Footer</footer></body></html>`)
	return []byte(b.String())
}

// nestedPage wraps a paragraph of prose in depth elements.
func nestedPage(depth int) []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>Deep</title></head><body>`)
	tags := []string{"div", "section", "span", "b", "i", "blockquote"}
	for i := range depth {
		fmt.Fprintf(&b, "<%s class=\"l%d\">", tags[i%len(tags)], i)
	}
	b.WriteString("<p>" + strings.Repeat("A sentence of prose buried at the bottom of the page. ", 40) + "</p>")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "</%s>", tags[i%len(tags)])
	}
	b.WriteString(`</body></html>`)
	return []byte(b.String())
}

// hugeFeed is an RSS feed of n items of about itemBytes each.
func hugeFeed(n, itemBytes int) []byte {
	var b strings.Builder
	b.Grow(n * (itemBytes + 200))
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Firehose</title><link>https://news.example/</link>`)
	desc := strings.Repeat("Words of the summary. ", itemBytes/22)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://news.example/a/%d</link><guid>https://news.example/a/%d</guid><pubDate>Mon, 02 Jan 2026 15:04:05 GMT</pubDate><description>%s</description></item>\n", i, i, i, desc)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// benchPeak runs f b.N times, reports the highest peak heap in MB and fails
// when it passes bound.
func benchPeak(b *testing.B, bound uint64, f func(b *testing.B)) {
	b.Helper()
	var peak uint64
	for range b.N {
		peak = max(peak, PeakHeap(func() { f(b) }))
	}
	b.ReportMetric(float64(peak)/mb, "peak-heap-MB")
	if peak > bound {
		b.Errorf("peak heap %.1f MB, want at most %d MB", float64(peak)/mb, bound/mb)
	}
}

// A page of prose far over the parse budget (1.6 million nodes): refused
// as its tree passes the budget; under the budget, it would be extracted whole.
func BenchmarkBoundsPage30MBCleaned(b *testing.B) {
	page := hugePage(30 * mb)
	b.SetBytes(int64(len(page)))
	benchPeak(b, 300*mb, func(b *testing.B) {
		res, err := articlepkg.CleanPage(page, "text/html; charset=utf-8", "https://news.example/a/1", nil)
		switch {
		case errors.Is(err, htmlparse.ErrTooComplex):
			b.ReportMetric(0, "processed")
		case err != nil:
			b.Fatalf("CleanPage of a 30 MB page: %v", err)
		case len(res.Text) < 10*mb:
			b.Fatalf("CleanPage of a 30 MB page: want most of its prose or a refusal, got %d bytes of text", len(res.Text))
		default:
			b.ReportMetric(1, "processed")
		}
	})
}

func BenchmarkBoundsPageNested10000Cleaned(b *testing.B) {
	page := nestedPage(10000)
	b.SetBytes(int64(len(page)))
	benchPeak(b, 256*mb, func(b *testing.B) {
		res, err := articlepkg.CleanPage(page, "text/html; charset=utf-8", "https://news.example/a/1", nil)
		switch {
		case err != nil:
			b.ReportMetric(0, "processed")
		case !strings.Contains(res.Text, "buried at the bottom"):
			b.Fatalf("CleanPage of a page nested 10,000 deep: want its prose or a refusal, got text %.200q", res.Text)
		default:
			b.ReportMetric(1, "processed")
		}
	})
}

func BenchmarkBoundsFeed50MB100kItemsParsed(b *testing.B) {
	body := hugeFeed(100000, 400)
	b.SetBytes(int64(len(body)))
	if len(body) < 45*mb {
		b.Fatalf("feed fixture is %d bytes, want about 50 MB", len(body))
	}
	benchPeak(b, 300*mb, func(b *testing.B) {
		doc, err := feed.Parse(body, "application/rss+xml", "https://news.example/feed")
		if err != nil {
			b.Fatalf("Parse of a 50 MB feed: %v", err)
		}
		if len(doc.Items) != feed.MaxItems || doc.Unread != 100000-feed.MaxItems {
			b.Fatalf("Parse of a 50 MB feed: want %d items read and the rest counted unread, got %d and %d",
				feed.MaxItems, len(doc.Items), doc.Unread)
		}
	})
}

// fetchRefused serves body and fetches it with the default limits: the
// fetcher must refuse it as too large, holding no more than its limit.
func fetchRefused(b *testing.B, body []byte, contentType string, kind fetch.Kind) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}))
	defer srv.Close()
	allow, err := netguard.ParseAllowlist(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		b.Fatal(err)
	}
	c := fetch.New(fetch.Config{Allow: allow, Timeout: time.Minute, PerHostGap: -1})
	b.SetBytes(int64(len(body)))
	benchPeak(b, 128*mb, func(b *testing.B) {
		_, err := c.Get(context.Background(), fetch.Request{URL: srv.URL + "/big", Kind: kind})
		if !errors.Is(err, fetch.ErrTooLarge) {
			b.Fatalf("fetch of a %d MB body: want ErrTooLarge, got %v", len(body)/mb, err)
		}
	})
}

func BenchmarkBoundsPage30MBFetched(b *testing.B) {
	fetchRefused(b, hugePage(30*mb), "text/html; charset=utf-8", fetch.KindPage)
}

func BenchmarkBoundsFeed50MBFetched(b *testing.B) {
	fetchRefused(b, hugeFeed(100000, 400), "application/rss+xml", fetch.KindFeed)
}
