package fetch

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// mediaType is the lower-cased type/subtype of a Content-Type, or "".
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		// A malformed parameter still leaves a usable type before the ';'.
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// isBinaryMedia is true for types that are never a feed or a page, whatever
// the bytes look like; the body need not even be read.
func isBinaryMedia(mt string) bool {
	for _, prefix := range []string{"image/", "audio/", "video/", "font/", "model/"} {
		if strings.HasPrefix(mt, prefix) {
			return true
		}
	}
	switch mt {
	case "application/pdf", "application/zip", "application/gzip", "application/x-gzip",
		"application/msword", "application/postscript", "application/wasm",
		"application/vnd.ms-excel", "application/vnd.ms-powerpoint":
		return true
	}
	return strings.HasPrefix(mt, "application/vnd.openxmlformats")
}

func isGzipMedia(mt string) bool {
	return mt == "application/gzip" || mt == "application/x-gzip" || mt == "application/octet-stream"
}

func isHTMLMedia(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// isFeedMedia covers RSS, Atom, RDF and JSON Feed under their many labels.
func isFeedMedia(mt string) bool {
	return strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml") ||
		strings.HasSuffix(mt, "/json") || strings.HasSuffix(mt, "+json") || isHTMLMedia(mt)
}

// checkType decides whether body is something the next stage can parse.
// Feeds: XML, JSON, or HTML (for autodiscovery), declared or sniffed, since
// servers often label feeds text/plain or application/octet-stream. Pages:
// HTML, declared or sniffed.
func checkType(kind Kind, contentType string, body []byte) error {
	mt := mediaType(contentType)
	switch {
	case kind == KindSitemap && (isGzipMedia(mt) || bytes.HasPrefix(body, []byte{0x1f, 0x8b})):
		return nil // a .xml.gz sitemap; the sitemap reader checks what is inside
	case kind == KindRobots && !isBinaryMedia(mt):
		return nil
	case kind == KindSitemap:
		kind = KindFeed // XML, declared or sniffed
	}
	if isBinaryMedia(mt) {
		return fmt.Errorf("%w %q where %s expected", ErrUnsupportedType, mt, kind.expected())
	}
	if kind == KindFeed {
		if isFeedMedia(mt) || looksLikeMarkupOrJSON(body) {
			return nil
		}
	} else if isHTMLMedia(mt) || sniffsAsHTML(body) {
		return nil
	}
	if mt == "" {
		mt = http.DetectContentType(body)
	}
	return fmt.Errorf("%w %q where %s expected", ErrUnsupportedType, mediaType(mt), kind.expected())
}

// sniffsAsHTML is true when the first element (after an XML prolog, comments
// and a doctype, which XHTML pages often start with) is html, head or body,
// or when net/http's sniffer says HTML.
func sniffsAsHTML(body []byte) bool {
	if mediaType(http.DetectContentType(body)) == "text/html" {
		return true
	}
	rest := bytes.ToLower(trimBOM(body[:min(len(body), 4096)]))
	for {
		rest = bytes.TrimLeft(rest, " \t\r\n")
		switch {
		case bytes.HasPrefix(rest, []byte("<!doctype html")):
			return true
		case bytes.HasPrefix(rest, []byte("<?")):
			rest = skipPast(rest, "?>")
		case bytes.HasPrefix(rest, []byte("<!--")):
			rest = skipPast(rest, "-->")
		case bytes.HasPrefix(rest, []byte("<html")), bytes.HasPrefix(rest, []byte("<head")),
			bytes.HasPrefix(rest, []byte("<body")):
			return true
		default:
			return false
		}
		if rest == nil {
			return false
		}
	}
}

// skipPast returns what follows the first end in b, or nil if there is none.
func skipPast(b []byte, end string) []byte {
	_, after, found := bytes.Cut(b, []byte(end))
	if !found {
		return nil
	}
	return after
}

// looksLikeMarkupOrJSON is true when the first meaningful character is '<' or
// '{', skipping a BOM, whitespace and the zero bytes of UTF-16/32 text.
func looksLikeMarkupOrJSON(body []byte) bool {
	body = trimBOM(body)
	for i, b := range body {
		if i > 1024 {
			return false
		}
		switch b {
		case 0, ' ', '\t', '\r', '\n':
			continue
		case '<', '{':
			return true
		}
		return false
	}
	return false
}

func trimBOM(b []byte) []byte {
	for _, bom := range [][]byte{
		{0xEF, 0xBB, 0xBF}, {0x00, 0x00, 0xFE, 0xFF}, {0xFF, 0xFE, 0x00, 0x00}, {0xFE, 0xFF}, {0xFF, 0xFE},
	} {
		if bytes.HasPrefix(b, bom) {
			return b[len(bom):]
		}
	}
	return b
}
