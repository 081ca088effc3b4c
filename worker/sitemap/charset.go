package sitemap

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// charsetReader accepts the common Latin-1 declarations; the protocol
// requires UTF-8, which needs none.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252":
		return latin1{bufio.NewReader(r)}, nil
	}
	return nil, fmt.Errorf("unsupported charset %q (sitemaps are UTF-8)", label)
}

// latin1 turns ISO-8859-1 bytes into UTF-8.
type latin1 struct{ r *bufio.Reader }

func (l latin1) Read(p []byte) (int, error) {
	if len(p) < 2 {
		return 0, io.ErrShortBuffer
	}
	n := 0
	for n+2 <= len(p) {
		b, err := l.r.ReadByte()
		if err != nil {
			return n, err
		}
		if b < 0x80 {
			p[n] = b
			n++
			continue
		}
		p[n], p[n+1] = 0xC0|b>>6, 0x80|b&0x3F
		n += 2
	}
	return n, nil
}
