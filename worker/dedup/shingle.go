package dedup

import (
	"github.com/wiresift/wiresift/worker/textnorm"
)

// shingleWords is the shingle length. Five words is long enough that a
// shared shingle is rarely chance (common phrases are shorter) and short
// enough that an edit (a changed word, a dropped sentence) spoils only the
// five shingles around it.
const shingleWords = 5

// shingled is a text cut into hashed word 5-shingles.
type shingled struct {
	words  int
	hashes []uint64 // one per shingle, in text order
	// keyable marks shingles that lie inside a paragraph of at least
	// minKeyParagraph words: see keys.
	keyable []bool
}

// lead returns the text's first leadShingles keyable shingles: the opening
// of its prose, which every copy keeps (syndication trims the tail, not
// the head). Without long paragraphs it is the first shingles of all.
func (s shingled) lead() []uint64 {
	var lead []uint64
	for i, h := range s.hashes {
		if s.keyable[i] {
			lead = append(lead, h)
			if len(lead) == leadShingles {
				return lead
			}
		}
	}
	if len(lead) == 0 {
		return s.hashes[:min(len(s.hashes), leadShingles)]
	}
	return lead
}

// shingle cuts a text, folded paragraph by paragraph (case, quotes, dashes
// and compatibility forms), into words with the shared tokenizer, and
// hashes every run of five consecutive words. Shingles run across paragraph
// boundaries, so merged or split paragraphs change nothing but the few
// shingles at the seam.
func shingle(folded textnorm.Folded) shingled {
	size := 0
	for _, p := range folded {
		size += len(p)
	}
	// About six bytes a word in most languages; growing past it is fine.
	hashes := make([]uint64, 0, size/6+1)
	keyable := make([]bool, 0, size/6+1)
	// The last shingleWords word hashes, word i at i%shingleWords: a
	// shingle is hashed as its last word arrives.
	var window [shingleWords]uint64
	words := 0
	for _, p := range folded {
		first := words // the paragraph's first word
		for w := range textnorm.AllWords(p) {
			window[words%shingleWords] = hashWord(w)
			words++
			if words >= shingleWords {
				hashes = append(hashes, combineWindow(&window, words))
				keyable = append(keyable, false)
			}
		}
		if words-first >= minKeyParagraph {
			// The shingles that start at the paragraph's first word or
			// later and end at its last word or earlier.
			for j := first; j <= words-shingleWords; j++ {
				keyable[j] = true
			}
		}
	}
	if words < shingleWords {
		return shingled{words: words}
	}
	return shingled{words: words, hashes: hashes, keyable: keyable}
}

// combineWindow is combine of the shingleWords words that end with word
// words-1, held in window.
func combineWindow(window *[shingleWords]uint64, words int) uint64 {
	h := uint64(0x9E3779B97F4A7C15)
	for k := words - shingleWords; k < words; k++ {
		h = mix(h ^ window[k%shingleWords])
	}
	return h
}

// hashWord is 64-bit FNV-1a: stable across processes and releases, which a
// stored fingerprint needs (hash/maphash is seeded per process).
func hashWord(w string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return h
}

// combine hashes a run of word hashes into one well-mixed shingle hash.
func combine(ws []uint64) uint64 {
	h := uint64(0x9E3779B97F4A7C15)
	for _, w := range ws {
		h = mix(h ^ w)
	}
	return h
}

// mix is the splitmix64 finaliser: every input bit affects every output bit,
// so the smallest hashes of a text are an unbiased sample of its shingles.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}
