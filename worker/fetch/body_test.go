package fetch

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

// trickle hands out a body a few kilobytes at a time, as a chunked response
// arrives.
type trickle struct{ r *bytes.Reader }

func (t *trickle) Read(p []byte) (int, error) { return t.r.Read(p[:min(len(p), 4096)]) }

func TestReadBodyReturnsTheBody(t *testing.T) {
	page := bytes.Repeat([]byte("<p>chunked page body</p>\n"), 12000)     // 300 kB
	whole := bytes.Repeat([]byte("<p>two chunk</p>"), 2*bodyChunkSize/16) // exactly two chunks
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(page)
	zw.Close()
	tests := []struct {
		name, encoding string
		wire           []byte
		sizeHint       int64
		want           []byte
	}{
		{"Known size", "", page, int64(len(page)), page},
		{"Unknown size", "", page, 0, page},
		{"Unknown size, whole chunks", "", whole, 0, whole},
		{"Compressed", "gzip", gz.Bytes(), 0, page},
		{"Empty", "", nil, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // the second read reuses the first one's buffer
				got, err := readBody(&trickle{bytes.NewReader(tt.wire)}, tt.encoding, 1<<20, tt.sizeHint, "page")
				if err != nil || !bytes.Equal(got, tt.want) {
					t.Fatalf("readBody: %d bytes, err %v; want the %d bytes", len(got), err, len(tt.want))
				}
			}
		})
	}
}

// A body of unknown size costs about its own size in allocations, not the
// three times a growing buffer takes. The least of several reads is taken:
// the race detector makes sync.Pool drop some buffers on purpose.
func TestReadBodyOfUnknownSizeAllocatesItsSize(t *testing.T) {
	page := bytes.Repeat([]byte("<p>chunked page body</p>\n"), 12000)
	least := uint64(math.MaxUint64)
	for range 20 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := readBody(&trickle{bytes.NewReader(page)}, "", 1<<20, 0, "page"); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	if float64(least) > 1.5*float64(len(page)) {
		t.Errorf("readBody of a %d-byte body of unknown size allocates %d bytes, want under 1.5 times the body", len(page), least)
	}
}

// gzipLayers compresses b n times over.
func gzipLayers(b []byte, n int) []byte {
	for range n {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		b = buf.Bytes()
	}
	return b
}

func TestReadBodyCapsStackedEncodings(t *testing.T) {
	page := []byte("<p>a page compressed more than once</p>")
	tests := []struct {
		name     string
		layers   int
		encoding string
		wantErr  string // "" means the page comes back
	}{
		{"one layer", 1, "gzip", ""},
		{"the most layers undone", maxStackedEncodings, strings.Repeat("gzip, ", maxStackedEncodings-1) + "gzip", ""},
		{"identity does not count", 2, "identity, gzip, identity, gzip, identity", ""},
		{"one layer too many", maxStackedEncodings + 1, strings.Repeat("gzip, ", maxStackedEncodings) + "gzip", "4 stacked encodings, at most 3"},
		{"forty thousand layers", 2, strings.Repeat("gzip, ", 39999) + "gzip", "40000 stacked encodings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readBody(bytes.NewReader(gzipLayers(page, tt.layers)), tt.encoding, 1<<20, 0, "page")
			if tt.wantErr == "" {
				if err != nil || !bytes.Equal(got, page) {
					t.Fatalf("readBody: %q, %v; want the page", got, err)
				}
				return
			}
			if !errors.Is(err, ErrBadEncoding) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("readBody: %v; want ErrBadEncoding saying %q", err, tt.wantErr)
			}
		})
	}
}
