package pipeline

import (
	"bytes"
	"context"
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
	got, err := decompress(old)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("decompress(old gzip page): got %q, err %v; want %q", got, err, want)
	}
}

func TestCompressWritesS2(t *testing.T) {
	page := []byte(strings.Repeat("<p>a page that compresses well</p>", 200))
	raw := compress(page)
	if !bytes.HasPrefix(raw, s2Magic) {
		t.Fatalf("compress: output starts %q, want the S2 stream magic %q", raw[:min(len(raw), 10)], s2Magic)
	}
	if len(raw) >= len(page)/4 {
		t.Errorf("compress: %d bytes from %d, want under a quarter", len(raw), len(page))
	}
}

func TestDecompressRejectsBrokenPages(t *testing.T) {
	good := compress([]byte(strings.Repeat("<p>page</p>", 500)))
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
			if got, err := decompress(tt.raw); err == nil {
				t.Errorf("decompress(%q...): got %d bytes and no error, want an error", tt.raw[:min(len(tt.raw), 12)], len(got))
			}
		})
	}
}

// A pass over an archive kept by an earlier version and extended by this
// one re-extracts the gzip and the S2 pages alike.
func TestReprocessReadsGzipAndS2Pages(t *testing.T) {
	h := newHarness(t, nil)
	u := h.addFeed("/feed")
	f := h.feed(u)
	ctx := context.Background()
	old, err := os.ReadFile("testdata/rawpage/gzip-bestspeed.html.gz")
	if err != nil {
		t.Fatal(err)
	}
	other := "Storm warnings went up along the coast on Tuesday as forecasters tracked a deepening low toward the islands."
	pages := map[string][]byte{
		"http://news.test/old": old,
		"http://news.test/new": compress([]byte("<article><p>" + other + "</p></article>")),
	}
	for key, raw := range pages {
		h.storeRawPage(f, key, raw)
	}
	rep, err := h.p.Reprocess(ctx, nil, "")
	if err != nil {
		t.Fatalf("Reprocess: %v", err)
	}
	if rep.Pages != 2 || rep.Changed != 2 || rep.Failed != 0 {
		t.Errorf("report %+v; want both pages re-extracted and changed, none failed", rep)
	}
}
