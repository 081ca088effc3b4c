package htmlparse

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// bodyOfManyAttrs is a <body> of n attributes followed by tags more
// <body x> tags, each of which asks the parser to merge its attributes
// into the body's.
func bodyOfManyAttrs(n, tags int) []byte {
	var b strings.Builder
	b.WriteString("<body")
	for i := range n {
		fmt.Fprintf(&b, " a%d", i)
	}
	b.WriteString(">")
	b.WriteString(strings.Repeat("<body x>", tags))
	return []byte(b.String())
}

// TestRepeatedBodyTagsCostLittleEach: merging a <body x> into a body of
// many attributes costs the new attributes, not the body's: x/net/html
// builds a map of all the body's keys at every such tag, so a 700 kB page
// of 100,000 attributes and 2,000 <body x> took 25 s of CPU.
func TestRepeatedBodyTagsCostLittleEach(t *testing.T) {
	alloc := func(page []byte) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if _, err := Default.Parse(page, nil); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	few, many := alloc(bodyOfManyAttrs(50_000, 10)), alloc(bodyOfManyAttrs(50_000, 210))
	perTag := (int64(many) - int64(few)) / 200
	if perTag > 4096 {
		t.Fatalf("each <body x> allocates %d bytes beside a body of 50,000 attributes, want it to cost what it adds", perTag)
	}
}

// BenchmarkRepeatedBodyTags: 100,000 attributes on <body>, then 2,000
// <body x> (705 kB).
func BenchmarkRepeatedBodyTags(b *testing.B) {
	page := bodyOfManyAttrs(100_000, 2_000)
	b.SetBytes(int64(len(page)))
	for range b.N {
		if _, err := Default.Parse(page, nil); err != nil {
			b.Fatal(err)
		}
	}
}
