package feedlist

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParse10000 parses a feeds file of 10,000 plain lines, as every
// poll of such a list does before its pass.
func BenchmarkParse10000(b *testing.B) {
	var file bytes.Buffer
	for i := range 10_000 {
		fmt.Fprintf(&file, "http://127.0.0.1:41234/feed/%d.xml\n", i)
	}
	b.ReportAllocs()
	for b.Loop() {
		entries, errs := Parse(bytes.NewReader(file.Bytes()), "feeds.txt")
		if len(entries) != 10_000 || len(errs) != 0 {
			b.Fatalf("want 10000 entries and no error, got %d and %v", len(entries), errs)
		}
	}
}
