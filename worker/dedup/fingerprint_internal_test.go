package dedup

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/textnorm"
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

// sortedSketch is encodeSketch's layout built from sets sorted by
// comparison.
func sortedSketch(lead, all []uint64) []byte {
	b := []byte{sketchVersion}
	l, a := comparedSet32(lead), comparedSet32(all)
	b = binary.AppendUvarint(b, uint64(len(l)))
	for _, v := range append(l, a...) {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func comparedSet32(hashes []uint64) []uint32 {
	set := make([]uint32, len(hashes))
	for i, h := range hashes {
		set[i] = uint32(h >> 32)
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// The radix sort sorts as the comparison sort does, at every size around
// its threshold and with heavy repeats.
func TestSortUint32MatchesSlicesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{0, 1, radixMin - 1, radixMin, radixMin + 1, 1000, 5000} {
		for _, spread := range []uint32{2, 1000, 1<<32 - 1} {
			v := make([]uint32, n)
			for i := range v {
				v[i] = rng.Uint32N(spread) << (rng.IntN(2) * 16)
			}
			want := slices.Sorted(slices.Values(v))
			if sortUint32(v); !slices.Equal(v, want) {
				t.Fatalf("n=%d spread=%d: sortUint32 differs from slices.Sort", n, spread)
			}
		}
	}
}

// The keys and the sketch are those of full comparison sorts,
// on texts of every length, with repeated shingles, shared high halves and
// any share of keyable shingles.
func TestKeysAndSketchMatchFullSorts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 19))
	for round := range 3000 {
		n := rng.IntN(700)
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
		if got, want := keys(s), sortedKeys(s); !slices.Equal(got, want) {
			t.Fatalf("round %d: keys = %v, want %v", round, got, want)
		}
		lead := s.lead()
		if got, want := encodeSketch(lead, s.hashes), sortedSketch(lead, s.hashes); !slices.Equal(got, want) {
			t.Fatalf("round %d: sketch = %x, want %x", round, got, want)
		}
	}
}

// referenceShingle is shingle as first written: every word hashed and kept
// with its paragraph, then each run of five combined.
func referenceShingle(folded textnorm.Folded) shingled {
	var words []uint64
	var para []int32
	var paraLen []int
	for _, p := range folded {
		n := 0
		for w := range textnorm.AllWords(p) {
			words = append(words, hashWord(w))
			para = append(para, int32(len(paraLen)))
			n++
		}
		if n > 0 {
			paraLen = append(paraLen, n)
		}
	}
	s := shingled{words: len(words)}
	if len(words) < shingleWords {
		return s
	}
	n := len(words) - shingleWords + 1
	s.hashes = make([]uint64, n)
	s.keyable = make([]bool, n)
	for j := range n {
		last := j + shingleWords - 1
		s.hashes[j] = combine(words[j : last+1])
		s.keyable[j] = para[j] == para[last] && paraLen[para[j]] >= minKeyParagraph
	}
	return s
}

// Shingling word by word through a window of five gives the hashes and
// the keyable marks of the whole-text definition, on paragraphs of every
// length around the key and shingle thresholds, empty ones included.
func TestShingleMatchesTheDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	vocab := []string{"a", "b", "c", "dd", "eee", "f1", "ß", "ü", "x-y"}
	for round := range 5000 {
		var folded textnorm.Folded
		for range rng.IntN(8) {
			words := make([]string, []int{0, 1, 4, 5, 6, 11, 12, 13, 30}[rng.IntN(9)])
			for i := range words {
				words[i] = vocab[rng.IntN(len(vocab))]
			}
			folded = append(folded, strings.Join(words, " "))
		}
		got, want := shingle(folded), referenceShingle(folded)
		if got.words != want.words || !slices.Equal(got.hashes, want.hashes) || !slices.Equal(got.keyable, want.keyable) {
			t.Fatalf("round %d: shingle(%q) = %+v, want %+v", round, folded, got, want)
		}
	}
}
