// Package charset turns fetched bytes into UTF-8. Servers and documents
// disagree about encodings all the time, so the order of trust is: a byte
// order mark, then bytes that already are valid UTF-8 (wrong prologs and
// headers are common, so valid UTF-8 is never converted), then the HTTP
// Content-Type charset, then the document's own declaration (XML prolog or
// HTML <meta>), then a guess.
package charset

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	htmlcharset "golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

var boms = []struct {
	mark []byte
	enc  encoding.Encoding
}{
	// UTF-32 first: its little-endian mark starts with UTF-16's.
	{[]byte{0x00, 0x00, 0xFE, 0xFF}, utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)},
	{[]byte{0xFF, 0xFE, 0x00, 0x00}, utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)},
	{[]byte{0xEF, 0xBB, 0xBF}, nil}, // UTF-8: just strip it
	{[]byte{0xFE, 0xFF}, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)},
	{[]byte{0xFF, 0xFE}, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)},
}

// utf8BOM is U+FEFF in UTF-8.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Decode returns body as valid UTF-8 without a byte order mark. contentType is
// the HTTP Content-Type header ("" when unknown).
func Decode(body []byte, contentType string) ([]byte, error) {
	out, err := decode(body, contentType)
	// A second mark after the first (a file run twice through a tool that
	// adds one) decodes to U+FEFF: still a mark, not content.
	for bytes.HasPrefix(out, utf8BOM) {
		out = out[len(utf8BOM):]
	}
	return out, err
}

func decode(body []byte, contentType string) ([]byte, error) {
	for _, b := range boms {
		if bytes.HasPrefix(body, b.mark) {
			rest := body[len(b.mark):]
			if b.enc == nil {
				return Valid(rest), nil
			}
			return convert(rest, b.enc)
		}
	}
	if enc := sniffWideUnicode(body); enc != nil {
		return convert(body, enc)
	}
	if utf8.Valid(body) {
		// Valid's own scan would only find it valid again.
		if bytes.IndexByte(body, 0) < 0 {
			return body, nil
		}
		return Valid(body), nil
	}
	if enc := lookup(paramCharset(contentType)); enc != nil {
		return convert(body, enc)
	}
	if enc := lookup(xmlPrologCharset(body)); enc != nil {
		return convert(body, enc)
	}
	// DetermineEncoding reads <meta charset> within the first 1024 bytes and
	// falls back to windows-1252, the web's de facto default.
	enc, name, _ := htmlcharset.DetermineEncoding(body, "text/html")
	if name == "windows-1252" || name == "utf-8" {
		// No useful <meta> in the first 1024 bytes (its "utf-8" is only a
		// guess from ASCII there: the body as a whole is not UTF-8).
		enc = charmap.Windows1252
		if late := lateMetaCharset(body); late != nil {
			enc = late
		}
	}
	return convert(body, enc)
}

// lateMetaWindow bounds the search for a <meta> charset past the first 1024
// bytes, where the HTML standard's prescan stops but script-heavy heads and
// web-archive captures put the declaration.
const lateMetaWindow = 64 << 10

// lateMetaCharset runs the standard prescan from each <meta> tag in the
// window and returns the first charset one declares.
func lateMetaCharset(body []byte) encoding.Encoding {
	head := body[:min(len(body), lateMetaWindow)]
	for off, tries := 0, 0; tries < 32; tries++ {
		i := indexMeta(head[off:])
		if i < 0 {
			return nil
		}
		off += i
		// The prescan of a slice that starts at a <meta> names the charset
		// it declares; without one it falls back to a guess (utf-8 for
		// ASCII, else windows-1252), which is no declaration.
		enc, name, _ := htmlcharset.DetermineEncoding(body[off:min(len(body), off+1024)], "text/html")
		if name != "utf-8" && name != "windows-1252" {
			return enc
		}
		off += len("<meta")
	}
	return nil
}

// indexMeta returns the offset of the first "<meta" in b, in any case, or
// -1. It compares in place: b is not UTF-8 here, and a lower-cased copy
// (bytes.ToLower) turns each stray byte into a three-byte U+FFFD, so its
// offsets drift from b's after the first one.
func indexMeta(b []byte) int {
	for off := 0; ; off++ {
		i := bytes.IndexByte(b[off:], '<')
		if i < 0 {
			return -1
		}
		off += i
		if len(b)-off >= len("<meta") && bytes.EqualFold(b[off+1:off+len("<meta")], []byte("meta")) {
			return off
		}
	}
}

// Valid drops invalid UTF-8 sequences and NUL bytes, which must never reach
// storage.
func Valid(b []byte) []byte {
	if utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if (r != utf8.RuneError || size > 1) && r != 0 {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out
}

func convert(b []byte, enc encoding.Encoding) ([]byte, error) {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("charset: decode: %w", err)
	}
	return Valid(out), nil
}

func lookup(name string) encoding.Encoding {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return nil
	}
	switch name {
	case "utf-32", "utf32", "utf-32be":
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM)
	case "utf-32le":
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil
	}
	return enc
}

func paramCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// xmlPrologCharset reads encoding="…" from an ASCII-compatible XML declaration.
func xmlPrologCharset(b []byte) string {
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 || end > 512 {
		return ""
	}
	decl := string(b[:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n=")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	rest = rest[1:]
	if j := strings.IndexByte(rest, q); j >= 0 {
		return rest[:j]
	}
	return ""
}

// sniffWideUnicode recognises UTF-16 and UTF-32 without a byte order mark
// from the NUL pattern around the first "<", as XML 1.0 Appendix F does.
func sniffWideUnicode(b []byte) encoding.Encoding {
	if len(b) < 4 {
		return nil
	}
	switch {
	case b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == '<':
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)
	case b[0] == '<' && b[1] == 0 && b[2] == 0 && b[3] == 0:
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)
	case b[0] == 0 && b[1] == '<' && b[2] == 0 && b[3] != 0:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case b[0] == '<' && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	}
	return nil
}
