package htmlparse

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"testing"

	"golang.org/x/net/html"
)

// checkSameTokens fails when the copied tokenizer's tokens (their types,
// atoms, strings, attributes and raw bytes) or its final error differ from
// x/net/html's, with the token limit maxBuf (0: none), with and without
// CDATA sections allowed as the cdatas say. The two run in step.
func checkSameTokens(t testing.TB, name string, page []byte, maxBuf int, cdatas ...bool) {
	t.Helper()
	for _, cdata := range cdatas {
		want := html.NewTokenizer(bytes.NewReader(page))
		want.SetMaxBuf(maxBuf)
		want.AllowCDATA(cdata)
		got := newTokenizer(page)
		got.SetMaxBuf(maxBuf)
		got.AllowCDATA(cdata)
		for i := 0; ; i++ {
			wt, gt := want.Next(), got.Next()
			wraw, graw := string(want.Raw()), string(got.Raw())
			wtok, gtok := want.Token(), got.Token()
			if wt != gt || wraw != graw || !reflect.DeepEqual(wtok, gtok) {
				t.Fatalf("%s (max %d, cdata %v): token %d differs for %.200q\nx/net/html: %v %.300q %.300q\ncopy:       %v %.300q %.300q",
					name, maxBuf, cdata, i, page, wt, wraw, fmt.Sprintf("%d %q %q", wtok.DataAtom, wtok.Data, wtok.Attr),
					gt, graw, fmt.Sprintf("%d %q %q", gtok.DataAtom, gtok.Data, gtok.Attr))
			}
			if wt == html.ErrorToken {
				if werr, gerr := want.Err(), got.Err(); werr != gerr {
					t.Fatalf("%s (max %d, cdata %v): the stream ends with %v, x/net/html's with %v", name, maxBuf, cdata, gerr, werr)
				}
				break
			}
		}
	}
}

// tokenCases exercise each path of the copied tokenizer: substrings and the
// strings that need unescaping, newline or NUL conversion, lower-casing;
// duplicate attributes below and past fewAttrs; raw text and script data.
var tokenCases = []string{
	"plain text", "a &amp; b &lt;c&gt; &copy &notit; &#x41;&#65;&#0;&#x110000;\r\n\rx", "x\x00y<p>\x00</p>",
	`<DIV Class="A" ID=b data-X='c&amp;d' e=f&g h="i&copy=j" k="l&copy;m" n="o` + "\r\n" + `p" q="\x00">`,
	`<p a=1 A=2 b B c="3" a="4">`, `<Svg ViewBox="0 0 1 1"><foreignObject/></Svg>`, "<A\x00B c\x00d=e\x00f>",
	"<p " + repeat("a%d=1 ", 20) + "a3=x A19=y a20=z>", "<p " + repeat("A%d ", 40) + repeat("a%d ", 40) + ">",
	"<script>if (a < b) { x = '</scrip' }<!-- <script> --></script>--></script>x", "<script>a\r\nb\x00</script>",
	"<style>p > a { x: '&amp;' }</style>", "<title>a &amp; <b>\r</title>", "<textarea>x&lt;\x00</textarea>",
	"<xmp><p>x</xmp>", "<plaintext><p>x&amp;\x00", "<!-- a -- b --!> <!--> <!---> <!-- \x00 -->", "<!--x",
	"<!doctype HTML>", "<!DOCTYPE", "<![CDATA[x<y]]>z", "<![CDATA[x", "<?xml x?>", "</>", "</ x>", "</p a=1>",
	"<p a='x", `<p a="x`, "<p a=x", "<p a", "<p a=", "<", "<p/>", "<p a=/>", "<br/ >", "<a b='c'/>", "&", "&#", "&#x;",
	"<p a=\"&amp\">", "<p a=\"&ampx=\">", "<p a=\"&amp;x\">", "<p a=\"&lt\">", "<noscript><p></noscript>",
}

func TestSameTokensAsXNet(t *testing.T) {
	for i, c := range tokenCases {
		for _, maxBuf := range []int{0, 1, 2, 3, 5, 8, 13, 40} {
			checkSameTokens(t, fmt.Sprintf("case %d", i), []byte(c), maxBuf, false, true)
		}
	}
}

// TestSameTokensAsXNetOnTheCorpora: every page of the dev corpora, whole
// and with a token limit that some of their tokens pass.
func TestSameTokensAsXNetOnTheCorpora(t *testing.T) {
	for _, f := range corpusPages(t) {
		page, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkSameTokens(t, f, page, 0, false)
		checkSameTokens(t, f, page, 4096, false)
	}
}

// FuzzSameTokens: whatever the bytes and the token limit, the copied
// tokenizer yields x/net/html's tokens and stops where it stops.
func FuzzSameTokens(f *testing.F) {
	for _, c := range tokenCases {
		f.Add(c, uint16(0))
		f.Add(c, uint16(7))
	}
	f.Fuzz(func(t *testing.T, page string, maxBuf uint16) {
		checkSameTokens(t, "page", []byte(page), int(maxBuf), false, true)
	})
}
