package extract

import (
	"bytes"
	"unicode/utf8"
)

// sanitize returns b as valid UTF-8 without NUL bytes. It returns b itself when
// nothing needs to change, which is the common case and costs one scan.
func sanitize(b []byte) []byte {
	if utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 {
		return b
	}
	b = bytes.ToValidUTF8(b, nil)
	return bytes.ReplaceAll(b, []byte{0}, nil)
}
