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

// encodeSketch lays a sketch out as version, uvarint lead count, lead, all
// (sorted: the text's shingle hashes in ascending order);
// 4 bytes per shingle, so a 1,000-word article takes about 4 kB. With 32-bit
// hashes, two unrelated 1,000-shingle texts share a hash by chance with
// probability about 1,000²/2³² ≈ 0.0002, far below any threshold.
func encodeSketch(lead, sorted []uint64) []byte {
	l := set32(lead)
	b := make([]byte, 0, 1+binary.MaxVarintLen64+4*(len(l)+len(sorted)))
	b = append(b, sketchVersion)
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, v := range l {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	// The high 32 bits of sorted hashes are sorted too: the set of them
	// is each value where it first appears.
	for i, h := range sorted {
		if v := uint32(h >> 32); i == 0 || v != uint32(sorted[i-1]>>32) {
			b = binary.LittleEndian.AppendUint32(b, v)
		}
	}
	return b
}

func set32(hashes []uint64) []uint32 {
	set := make([]uint32, len(hashes))
	for i, h := range hashes {
		set[i] = uint32(h >> 32)
	}
	slices.Sort(set)
	return slices.Compact(set)
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
