package dedup

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// sortedKeys is keys as a full sort of the pool gives them: the definition
// the bounded selection must match.
func sortedKeys(s shingled) []uint64 {
	var pool []uint64
	for i, h := range s.hashes {
		if s.keyable[i] {
			pool = append(pool, h)
		}
	}
	if len(pool) < keysPerText {
		pool = slices.Clone(s.hashes)
	}
	slices.Sort(pool)
	pool = slices.Compact(pool)
	return pool[:min(len(pool), keysPerText)]
}

// sortedSketch is encodeSketch's layout built from sets sorted whole.
func sortedSketch(lead, all []uint64) []byte {
	b := []byte{sketchVersion}
	l, a := set32(lead), set32(all)
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, v := range append(l, a...) {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// The keys and the sketch taken from one sort are those of the full sorts,
// on texts of every length, with repeated shingles, shared high halves and
// any share of keyable shingles.
func TestKeysAndSketchMatchFullSorts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 19))
	for round := range 3000 {
		n := rng.IntN(300)
		s := shingled{hashes: make([]uint64, n), keyable: make([]bool, n)}
		keyableShare := rng.IntN(11)
		for i := range n {
			switch rng.IntN(4) {
			case 0: // a repeat of an earlier shingle
				if i > 0 {
					s.hashes[i] = s.hashes[rng.IntN(i)]
					break
				}
				fallthrough
			case 1: // few distinct values: duplicates in the bottom k
				s.hashes[i] = uint64(rng.IntN(40))<<32 | uint64(rng.IntN(3))
			default:
				s.hashes[i] = rng.Uint64()
			}
			s.keyable[i] = rng.IntN(10) < keyableShare
		}
		sorted := slices.Sorted(slices.Values(s.hashes))
		if got, want := keys(s, sorted), sortedKeys(s); !slices.Equal(got, want) {
			t.Fatalf("round %d: keys = %v, want %v", round, got, want)
		}
		lead := s.lead()
		if got, want := encodeSketch(lead, sorted), sortedSketch(lead, s.hashes); !slices.Equal(got, want) {
			t.Fatalf("round %d: sketch = %x, want %x", round, got, want)
		}
	}
}
