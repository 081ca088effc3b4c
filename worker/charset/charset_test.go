package charset

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

// lateMeta declares its charset after 1,500 bytes of script, as web-archive
// captures do; ISO-8859-2 is not the windows-1252 fallback, so a miss shows.
var lateMeta = "<script>" + strings.Repeat("var x = 1;", 150) +
	`</script><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2"><p>Zażółć gęślą jaźń</p>`

// lateMetaAfterText has the page's own letters before its late declaration:
// bytes that are not UTF-8, so a search that lower-cases them as UTF-8
// shifts every offset after them.
var lateMetaAfterText = "<title>Zażółć gęślą jaźń</title>" + lateMeta

func TestDecode(t *testing.T) {
	const ru = `<?xml version="1.0" encoding="windows-1251"?><title>Новости дня</title>`
	const ruNoProlog = `<title>Новости дня</title>`
	const jp = `<?xml version="1.0" encoding="Shift_JIS"?><title>今日のニュース</title>`
	const plain = `<title>Café “quoted”</title>`
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	utf16beNoBOM := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"valid UTF-8 kept even when the header says otherwise", []byte(plain), "text/html; charset=iso-8859-1", plain},
		{"windows-1251 from the XML prolog", encode(t, charmap.Windows1251, ru), "", ru},
		{"windows-1251 from the HTTP header", encode(t, charmap.Windows1251, ruNoProlog), "application/rss+xml; charset=windows-1251", ruNoProlog},
		{"Shift_JIS from the XML prolog", encode(t, japanese.ShiftJIS, jp), "", jp},
		{"HTML meta charset", encode(t, charmap.ISO8859_1, `<meta charset="iso-8859-1"><p>Café</p>`), "", `<meta charset="iso-8859-1"><p>Café</p>`},
		{"HTML meta charset past the first 1024 bytes", encode(t, charmap.ISO8859_2, lateMeta), "", lateMeta},
		{"HTML meta charset past the first 1024 bytes, after non-ASCII text", encode(t, charmap.ISO8859_2, lateMetaAfterText), "", lateMetaAfterText},
		{"UTF-16LE with BOM", encode(t, utf16le, plain), "", plain},
		{"UTF-16BE without BOM", encode(t, utf16beNoBOM, plain), "", plain},
		{"UTF-32LE with BOM", append([]byte{0xFF, 0xFE, 0, 0}, encode(t, utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), plain)...), "", plain},
		{"UTF-32BE without BOM", encode(t, utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), plain), "", plain},
		{"UTF-8 BOM stripped", append([]byte{0xEF, 0xBB, 0xBF}, plain...), "", plain},
		{"unknown charset falls back to windows-1252", []byte("caf\xe9"), "text/html; charset=x-bogus", "café"},
		{"NUL bytes dropped", []byte("a\x00b\xef\xbb\xbfc"), "", "ab\ufeffc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.body, tt.contentType)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Decode = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidDropsBadBytes(t *testing.T) {
	got := string(Valid([]byte("ok\xff\xfe then\x00 more")))
	if want := "ok then more"; got != want {
		t.Errorf("Valid = %q, want %q", got, want)
	}
}
