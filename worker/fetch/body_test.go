package fetch

import (
	"bytes"
	"compress/gzip"
	"math"
	"runtime"
	"testing"
)

// trickle hands out a body a few kilobytes at a time, as a chunked response
// arrives.
type trickle struct{ r *bytes.Reader }

func (t *trickle) Read(p []byte) (int, error) { return t.r.Read(p[:min(len(p), 4096)]) }

func TestReadBodyReturnsTheBody(t *testing.T) {
	page := bytes.Repeat([]byte("<p>chunked page body</p>\n"), 12000) // 300 kB
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
