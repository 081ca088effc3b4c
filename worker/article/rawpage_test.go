package article

import (
	"bytes"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// Pages kept before the switch to S2 are gzip: reprocess must still read
// them. The fixture was written by the earlier compress (klauspost gzip,
// BestSpeed).
func TestDecompressReadsOldGzipPages(t *testing.T) {
	old, err := os.ReadFile("testdata/rawpage/gzip-bestspeed.html.gz")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/rawpage/gzip-bestspeed.html")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decompress(old)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Decompress(old gzip page): got %q, err %v; want %q", got, err, want)
	}
}

func TestCompressWritesS2(t *testing.T) {
	page := []byte(strings.Repeat("<p>a page that compresses well</p>", 200))
	raw := Compress(page)
	if !bytes.HasPrefix(raw, s2Magic) {
		t.Fatalf("compress: output starts %q, want the S2 stream magic %q", raw[:min(len(raw), 10)], s2Magic)
	}
	if len(raw) >= len(page)/4 {
		t.Errorf("compress: %d bytes from %d, want under a quarter", len(raw), len(page))
	}
}

func TestDecompressRejectsBrokenPages(t *testing.T) {
	good := Compress([]byte(strings.Repeat("<p>page</p>", 500)))
	oldGood, err := os.ReadFile("testdata/rawpage/gzip-bestspeed.html.gz")
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-3] ^= 0xff
	tests := []struct {
		name string
		raw  []byte
	}{
		{"Empty", nil},
		{"Plain HTML", []byte("<html>not compressed")},
		{"Truncated S2", good[:len(good)-5]},
		{"Corrupted S2", flipped},
		{"Truncated gzip", oldGood[:len(oldGood)-10]},
		{"gzip magic alone", gzipMagic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Decompress(tt.raw); err == nil {
				t.Errorf("Decompress(%q...): got %d bytes and no error, want an error", tt.raw[:min(len(tt.raw), 12)], len(got))
			}
		})
	}
}

// Every page, whatever its size or content, must come back whole through
// Decompress and the stream's checksums.
func TestCompressRoundTrips(t *testing.T) {
	random := make([]byte, 300<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	tests := []struct {
		name string
		page []byte
	}{
		{"Empty", nil},
		{"One byte", []byte("<")},
		{"Small page", []byte("<html><p>a short page</p></html>")},
		{"Incompressible", random},
		{"Several blocks", bytes.Repeat([]byte("<p>a page longer than one block of the stream</p>\n"), 20000)},
		{"Just over one block", append(bytes.Repeat([]byte("x"), 256<<10), random[:10]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := Compress(tt.page)
			got, err := Decompress(raw)
			if err != nil || !bytes.Equal(got, tt.page) {
				t.Fatalf("Decompress(Compress(%d bytes)): got %d bytes, err %v; want the page", len(tt.page), len(got), err)
			}
			if len(tt.page) > 1000 && len(raw) > len(tt.page)+len(tt.page)/100+64 {
				t.Errorf("Compress(%d bytes) = %d bytes: more than the page and its framing", len(tt.page), len(raw))
			}
		})
	}
}
