package dedup

import (
	"encoding/binary"
	"slices"
)

// sketchVersion heads every sketch so that a later format can be told apart
// from stored ones.
const sketchVersion = 1

// sketch is what Best compares: the text's distinct shingle hashes and the
// hashes of its lead, cut to 32 bits and sorted.
type sketch struct {
	lead, all []uint32
}

// encodeSketch lays a sketch out as version, uvarint lead count, lead, all;
// 4 bytes per shingle, so a 1,000-word article takes about 4 kB. With 32-bit
// hashes, two unrelated 1,000-shingle texts share a hash by chance with
// probability about 1,000²/2³² ≈ 0.0002, far below any threshold.
func encodeSketch(lead, all []uint64) []byte {
	l, a := set32(lead), set32(all)
	b := make([]byte, 0, 1+binary.MaxVarintLen64+4*(len(l)+len(a)))
	b = append(b, sketchVersion)
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, v := range l {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, v := range a {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// set32 is the sorted set of the hashes' high 32 bits.
func set32(hashes []uint64) []uint32 {
	set := make([]uint32, len(hashes))
	for i, h := range hashes {
		set[i] = uint32(h >> 32)
	}
	sortUint32(set)
	return slices.Compact(set)
}

// radixMin is the size from which sortUint32 sorts by radix: below it a
// comparison sort is as fast and needs no second buffer.
const radixMin = 256

// sortUint32 sorts v in ascending order. An article's thousands of random
// shingle hashes sort in four linear passes of a byte each (an LSD radix
// sort) several times faster than by comparisons.
func sortUint32(v []uint32) {
	if len(v) < radixMin {
		slices.Sort(v)
		return
	}
	tmp := make([]uint32, len(v))
	src, dst := v, tmp
	for shift := 0; shift < 32; shift += 8 {
		var count [256]int
		for _, x := range src {
			count[byte(x>>shift)]++
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, x := range src {
			d := byte(x >> shift)
			dst[count[d]] = x
			count[d]++
		}
		src, dst = dst, src
	}
	// Four passes leave the result where it started, in v.
}

// decodeSketch reads a sketch; one it cannot read decodes to the empty
// sketch, which matches nothing.
func decodeSketch(b []byte) sketch {
	if len(b) < 2 || b[0] != sketchVersion {
		return sketch{}
	}
	n, k := binary.Uvarint(b[1:])
	rest := b[1+max(k, 0):]
	if k <= 0 || len(rest)%4 != 0 || n > uint64(len(rest)/4) {
		return sketch{}
	}
	vals := make([]uint32, len(rest)/4)
	for i := range vals {
		vals[i] = binary.LittleEndian.Uint32(rest[4*i:])
	}
	return sketch{lead: vals[:n], all: vals[n:]}
}

// intersect counts the values two sorted sets share.
func intersect(a, b []uint32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}
