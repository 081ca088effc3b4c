package feed

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wiresift/wiresift/worker/charset"
)

// prepare returns the body as UTF-8 that gofeed can parse: decoded (BOM, HTTP
// charset, XML prolog, <meta>), without characters XML forbids, and with an
// XML declaration that no longer names the old encoding, because gofeed would
// otherwise decode the already-decoded text a second time.
func prepare(body []byte, contentType string) ([]byte, error) {
	text, err := charset.Decode(body, contentType)
	if err != nil {
		return nil, err
	}
	text = dropNonXMLChars(text)
	return declareUTF8(text), nil
}

// dropNonXMLChars removes what the XML 1.0 Char production excludes (C0
// controls other than tab, CR, LF; U+FFFE and U+FFFF): one such character
// would otherwise make the whole document unparseable.
func dropNonXMLChars(b []byte) []byte {
	if bytes.IndexFunc(b, func(r rune) bool { return !isXMLChar(r) }) < 0 {
		return b
	}
	return bytes.Map(func(r rune) rune {
		if !isXMLChar(r) {
			return -1
		}
		return r
	}, b)
}

func isXMLChar(r rune) bool {
	switch {
	case r == 0x09 || r == 0x0A || r == 0x0D:
		return true
	case r < 0x20:
		return false
	case r == utf8.RuneError: // already-valid text keeps a real U+FFFD
		return true
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= 0x10FFFF
}

var prologEncoding = regexp.MustCompile(`(?i)(encoding\s*=\s*)(?:"[^"]*"|'[^']*')`)

// declareUTF8 rewrites encoding="…" in a leading XML declaration to UTF-8.
func declareUTF8(b []byte) []byte {
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	if !bytes.HasPrefix(trimmed, []byte("<?xml")) {
		return b
	}
	end := bytes.Index(trimmed, []byte("?>"))
	if end < 0 {
		return b
	}
	decl := trimmed[:end]
	m := prologEncoding.FindSubmatchIndex(decl)
	if m == nil || strings.EqualFold(strings.Trim(string(decl[m[3]:m[1]]), `"'`), "utf-8") {
		return b
	}
	offset := len(b) - len(trimmed)
	var out bytes.Buffer
	out.Grow(len(b))
	out.Write(b[:offset+m[3]])
	out.WriteString(`"UTF-8"`)
	out.Write(b[offset+m[1]:])
	return out.Bytes()
}
