package crashtest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
)

// The hostile shapes of issue 14: inputs within the default size limits
// whose shape, not size, made one of them cost gigabytes.

// FormattingPage is about size bytes of "<p><i>x" repeated: every paragraph
// reopens the formatting elements still open before it, so the parser's
// tree grows far faster than the page.
func FormattingPage(size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 256)
	b.WriteString(`<!doctype html><html><head><title>Formatting</title></head><body>`)
	for b.Len() < size {
		b.WriteString("<p><i>x")
	}
	return b.Bytes()
}

// TinyItemsFeed is an RSS feed of size bytes or so made of the smallest
// items that still have a distinct link each (650,000 in 20 MiB).
func TinyItemsFeed(base string, size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 256)
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Tiny</title>`)
	for i := 0; b.Len() < size-32; i++ {
		fmt.Fprintf(&b, "<item><link>%s%x</link></item>", base, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

// NestedExtensionFeed is an RSS feed of about size bytes whose one item
// holds extension elements nested as deep as the bytes allow.
func NestedExtensionFeed(size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 256)
	b.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:e="urn:e"><channel><title>Nested</title><item><title>Deep</title><link>https://news.example/deep</link>`)
	n := (size - b.Len()) / len("<e:a></e:a>")
	b.WriteString(strings.Repeat("<e:a>", n))
	b.WriteString(strings.Repeat("</e:a>", n))
	b.WriteString(`</item></channel></rss>`)
	return b.Bytes()
}

// GzipLayers compresses body n times over; the answer's Content-Encoding is
// StackedEncoding(n).
func GzipLayers(body []byte, n int) []byte {
	for range n {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write(body)
		zw.Close()
		body = buf.Bytes()
	}
	return body
}

// StackedEncoding is the Content-Encoding of n gzip layers.
func StackedEncoding(n int) string {
	return strings.TrimSuffix(strings.Repeat("gzip, ", n), ", ")
}

// LimitPages are pages built to sit just under the parse budget
// (htmlparse.Default) in the shapes that cost the most per byte or per node:
// the most a page can cost and still be extracted.
func LimitPages() map[string][]byte {
	pages := map[string][]byte{}
	var b bytes.Buffer
	b.WriteString("<body>")
	for i := 0; i < 95_000; i++ {
		fmt.Fprintf(&b, `<span class="c%d">x</span>`, i)
	}
	pages["spans"] = bytes.Clone(b.Bytes())
	b.Reset()
	b.WriteString("<body>")
	for range 32_000 {
		b.WriteString("<p><i>x")
	}
	pages["reopened italics"] = bytes.Clone(b.Bytes())
	b.Reset()
	b.WriteString("<body>")
	// 500 italics open at once stay within the parser's 512 open
	// elements (past them, extract flattens the page to half that depth).
	for i := range 500 {
		fmt.Fprintf(&b, `<p><i class="c%d">x`, i)
	}
	pages["reopened distinct italics"] = bytes.Clone(b.Bytes())
	b.Reset()
	b.WriteString("<body><article>")
	for i := 0; i < 45_000; i++ {
		fmt.Fprintf(&b, `<a href="/%d" title="t" data-x="y" data-y="z">w</a>`, i)
	}
	pages["attributes"] = bytes.Clone(b.Bytes())
	return pages
}

// LimitFeeds are feeds just under the feed limits (feed.MaxItems,
// MaxElements, MaxDepth) within the 20 MiB of the default fetch limit.
func LimitFeeds() map[string][]byte {
	feeds := map[string][]byte{}
	var b bytes.Buffer
	head := `<?xml version="1.0"?><rss version="2.0" xmlns:e="urn:e" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Limit</title>`
	b.WriteString(head)
	for i := range 10_000 {
		fmt.Fprintf(&b, "<item><link>/%d</link>", i)
		b.WriteString(strings.Repeat("<e:a/>", 17))
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	feeds["sibling extensions"] = bytes.Clone(b.Bytes())
	b.Reset()
	b.WriteString(head)
	for i := range 3_200 {
		fmt.Fprintf(&b, "<item><link>/%d</link>", i)
		b.WriteString(strings.Repeat("<e:a>", 58) + strings.Repeat("</e:a>", 58))
		b.WriteString("</item>")
	}
	b.WriteString("</channel></rss>")
	feeds["nested extensions"] = bytes.Clone(b.Bytes())
	b.Reset()
	b.WriteString(head)
	text := strings.Repeat("Words of the item's full content. ", 55)
	for i := range 10_000 {
		fmt.Fprintf(&b, "<item><link>/%d</link><description>%s</description></item>", i, text)
	}
	b.WriteString("</channel></rss>")
	feeds["big items"] = bytes.Clone(b.Bytes())
	b.Reset()
	b.WriteString(head)
	content := "<![CDATA[" + strings.Repeat("<p><i>x", 31_000) + "]]>"
	for i := range 70 {
		fmt.Fprintf(&b, "<item><link>/c%d</link><content:encoded>%s</content:encoded></item>", i, content)
	}
	b.WriteString("</channel></rss>")
	feeds["costly contents"] = bytes.Clone(b.Bytes())
	return feeds
}
