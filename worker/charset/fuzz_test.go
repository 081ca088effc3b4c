package charset

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzDecode feeds any bytes under any Content-Type to Decode: the result
// must be valid UTF-8 without a byte order mark or NUL (extraction takes
// it as such, unchecked), and decoding it again as UTF-8 must change
// nothing.
//
//	go test ./worker/charset -run '^$' -fuzz FuzzDecode -fuzztime 60s
func FuzzDecode(f *testing.F) {
	f.Add([]byte("<html><head><meta charset=\"windows-1251\"></head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body></html>"), "")
	f.Add([]byte("\xef\xbb\xbfhello"), "text/html; charset=utf-8")
	f.Add([]byte("\xff\xfeh\x00i\x00"), "text/html")
	f.Add([]byte("a\x00b"), "")
	f.Add([]byte("\xef\xbb\xbfa\x00b"), "")
	f.Add([]byte("\xff\xfea\x00\x00\x00"), "text/html")
	f.Add([]byte("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=shift_jis\">\x82\xa0"), "text/html; charset=bogus")
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>\xe9</a>"), "application/xml")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, err := Decode(body, contentType)
		if err != nil {
			return
		}
		if !utf8.Valid(out) || bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) || bytes.IndexByte(out, 0) >= 0 {
			t.Fatalf("Decode(%q, %q) = %q: want valid UTF-8 without a BOM or NUL", body, contentType, out)
		}
		again, err := Decode(out, "text/html; charset=utf-8")
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Decode of its own UTF-8 output %q: want it unchanged, got %q (%v)", out, again, err)
		}
	})
}
