package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// acceptEncoding is what decode understands; Go's transport would only do gzip.
const acceptEncoding = "gzip, deflate, br"

// readBody reads at most limit bytes of the decoded body. The limit holds for
// the bytes on the wire and again after each decompression step, so a small
// gzip bomb stops at the limit instead of filling memory.
// sizeHint, when positive, is the expected size (Content-Length) so the
// buffer is allocated once.
func readBody(r io.Reader, contentEncoding string, limit, sizeHint int64, what string) ([]byte, error) {
	wire := &limitedReader{r: r, left: limit, what: what, limit: limit}
	decoded, err := decode(wire, contentEncoding)
	if err != nil {
		return nil, err
	}
	out := &limitedReader{r: decoded, left: limit, what: what, limit: limit}
	if sizeHint > 0 {
		// The size is known: read into one buffer of that size.
		buf := bytes.NewBuffer(make([]byte, 0, int(min(sizeHint, limit))+bytes.MinRead))
		if _, err := buf.ReadFrom(out); err != nil {
			return nil, readError(err, wire, decoded, contentEncoding)
		}
		return buf.Bytes(), nil
	}
	// The size is unknown (chunked, compressed): a growing buffer would
	// allocate about three times the body before it is done, so read into
	// recycled chunks and copy the body out at its size.
	var held [16]*bodyChunk
	chunks := held[:0]
	defer func() {
		// A huge body's chunks past maxRecycledChunks are left to the
		// collector, so that it is not held on to for the next small ones.
		for _, c := range chunks[:min(len(chunks), maxRecycledChunks)] {
			bodyChunks.Put(c)
		}
	}()
	parts, err := readChunks(out, &chunks)
	if err != nil {
		return nil, readError(err, wire, decoded, contentEncoding)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	// Join copies into new room of the body's size without zeroing it first.
	return bytes.Join(parts, nil), nil
}

// bodyChunkSize is the size of the recycled chunks a body of unknown size
// is read into. Chunks of one size are all as good as each other, so the
// recycled ones serve any page: a recycled growing buffer too small for
// the next page grew again, through fresh zeroed copies of itself (a sixth
// of the body read's CPU in a profiled backfill, nearly all of it page
// faults).
const bodyChunkSize = 64 << 10

type bodyChunk [bodyChunkSize]byte

// maxRecycledChunks bounds the chunks one read gives back (2 MB).
const maxRecycledChunks = 32

// bodyChunks recycles the chunks. A sync.Pool is a cache, not state: any
// chunk in it is as good as a new one.
var bodyChunks = sync.Pool{New: func() any { return new(bodyChunk) }}

// readChunks reads r to its end into chunks taken from bodyChunks and
// appended to *held (for the caller to give back), and returns the filled
// part of each.
func readChunks(r io.Reader, held *[]*bodyChunk) ([][]byte, error) {
	var parts [][]byte
	var cur []byte
	for {
		if len(cur) == cap(cur) {
			c := bodyChunks.Get().(*bodyChunk)
			*held = append(*held, c)
			cur = c[:0]
			parts = append(parts, nil)
		}
		n, err := r.Read(cur[len(cur):cap(cur)])
		cur = cur[:len(cur)+n]
		parts[len(parts)-1] = cur
		if err == io.EOF {
			if len(cur) == 0 {
				parts = parts[:len(parts)-1]
			}
			return parts, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readError blames the encoding only for errors the decompressor made up; a
// timeout or reset on the wire, or the limit, is reported as itself.
func readError(err error, wire *limitedReader, decoded io.Reader, contentEncoding string) error {
	var tooLarge *tooLargeError
	if errors.As(err, &tooLarge) || wire.err != nil || decoded == io.Reader(wire) {
		return err
	}
	return fmt.Errorf("%w %q: %w", ErrBadEncoding, contentEncoding, err)
}

// maxStackedEncodings is the most compression layers decode undoes. Servers
// send one, a misconfigured proxy two; each layer costs a decompressor's
// window and tables (a brotli window is up to 16 MB), so a header of
// thousands of "gzip, gzip, …" would otherwise hold gigabytes.
const maxStackedEncodings = 3

// decode stacks decompressors for a Content-Encoding list such as "gzip" or
// "deflate, br" (applied in order, so undone in reverse).
func decode(r io.Reader, contentEncoding string) (io.Reader, error) {
	codings := strings.Split(contentEncoding, ",")
	layers := 0
	for _, c := range codings {
		if c := strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
			layers++
		}
	}
	if layers > maxStackedEncodings {
		return nil, fmt.Errorf("%w: %d stacked encodings, at most %d are undone", ErrBadEncoding, layers, maxStackedEncodings)
	}
	for i := len(codings) - 1; i >= 0; i-- {
		var err error
		switch c := strings.ToLower(strings.TrimSpace(codings[i])); c {
		case "", "identity":
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(r)
		case "deflate":
			r, err = newDeflateReader(r)
		case "br":
			r = brotli.NewReader(r)
		default:
			return nil, fmt.Errorf("%w %q", ErrBadEncoding, c)
		}
		if err != nil {
			return nil, fmt.Errorf("%w %q: %w", ErrBadEncoding, codings[i], err)
		}
	}
	return r, nil
}

// newDeflateReader accepts both forms servers send as "deflate": the zlib
// wrapper the RFC asks for, and raw deflate that some servers send instead.
func newDeflateReader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil {
		return nil, err
	}
	if head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// limitedReader fails with ErrTooLarge once more than limit bytes come
// through, rather than truncating quietly as io.LimitReader does.
type limitedReader struct {
	r           io.Reader
	left, limit int64
	what        string
	err         error // the underlying reader's last error other than io.EOF
}

type tooLargeError struct {
	what  string
	limit int64
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("%s body over %s", e.what, formatBytes(e.limit))
}

func (e *tooLargeError) Unwrap() error { return ErrTooLarge }

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, &tooLargeError{l.what, l.limit}
	}
	// Read one byte past the limit so an exactly-full body is not an error.
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if err != nil && err != io.EOF {
		l.err = err
	}
	l.left -= int64(n)
	if l.left < 0 {
		return n, &tooLargeError{l.what, l.limit}
	}
	return n, err
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
