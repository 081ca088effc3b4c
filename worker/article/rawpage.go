package article

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/s2"
)

// Kept pages are S2 streams. Pages kept by earlier versions are gzip; both
// formats start with a fixed magic, which is how Decompress tells them apart.
var (
	s2Magic   = []byte("\xff\x06\x00\x00S2sTwO")
	gzipMagic = []byte{0x1f, 0x8b}
)

// errUnknownRawFormat: a stored page that is neither an S2 stream nor gzip.
var errUnknownRawFormat = errors.New("not an S2 or gzip stream")

// s2Writers recycles compressors with their block buffers. A sync.Pool is a
// cache, not state: any writer in it is as good as a new one.
var s2Writers = sync.Pool{New: func() any {
	// One goroutine: a page is compressed on the item's own goroutine, and
	// the pipeline already runs items on every core. 256 kB blocks hold most
	// pages whole and keep a writer's buffers near 0.3 MB instead of 2 MB
	// (kept size on the corpus: 40,252 -> 40,871 bytes a page).
	return s2.NewWriter(nil, s2.WriterConcurrency(1), s2.WriterBlockSize(256<<10))
}}

// scratchBuffers hold a compressed page until it is copied out at its exact
// size, so the stored copy carries no spare capacity while it waits for the
// writer.
var scratchBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Compress packs a page for reprocess as an S2 stream (klauspost/compress).
// S2 is about 2.5 times as fast as gzip at its fastest level on the
// extraction corpus (0.15 against 0.39 ms per page) for a ratio of 0.28
// against 0.23: keeping pages was a tenth of an article's ingest CPU.
func Compress(b []byte) []byte {
	buf := scratchBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	zw := s2Writers.Get().(*s2.Writer)
	zw.Reset(buf)
	zw.EncodeBuffer(b) // writes to a bytes.Buffer cannot fail
	zw.Close()
	zw.Reset(nil) // do not keep buf reachable from the pool
	s2Writers.Put(zw)
	out := bytes.Clone(buf.Bytes())
	scratchBuffers.Put(buf)
	return out
}

// Decompress reverses Compress, and reads the gzip pages kept by earlier
// versions as well.
func Decompress(raw []byte) ([]byte, error) {
	var r io.Reader
	switch {
	case bytes.HasPrefix(raw, s2Magic):
		r = s2.NewReader(bytes.NewReader(raw))
	case bytes.HasPrefix(raw, gzipMagic):
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, errUnknownRawFormat
	}
	page, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decompress: %w", err)
	}
	return page, nil
}
