package dedup

import (
	"slices"

	"github.com/wiresift/wiresift/worker/textnorm"
)

const (
	// keysPerText is how many lookup keys a text gets: the smallest shingle
	// hashes (a bottom-k sample). A bottom-k sample keeps containment: when
	// a copy's shingles are a subset of the original's, every one of the
	// original's k smallest that the copy has is also among the copy's k
	// smallest, so a copy trimmed to 60% still shares about 0.6·k keys
	// (about 19 of 32), and the chance that a real copy shares none is nil.
	// The index grows by k rows per article, whatever the article's length.
	keysPerText = 32
	// minKeyParagraph: keys come only from paragraphs of at least this many
	// words when there are enough of them. Page furniture (share buttons,
	// "Read more" lines, copyright and comment prompts, bylines, credits)
	// comes in short lines; keeping it out of the keys keeps the posting
	// lists of boilerplate shingles, which every article of a site would
	// share, from growing with the archive.
	minKeyParagraph = 12
	// leadShingles is the length of a text's lead in shingles: about two
	// sentences of its first long paragraphs.
	leadShingles = 40
)

// Make fingerprints a text: its lookup keys, a sketch for verification and
// its word count. A text of fewer than five words has no shingles and so no
// keys; only the exact layers can match it.
func Make(text string) Fingerprint {
	return MakeFolded(textnorm.Fold(text))
}

// MakeFolded is Make on a text already folded by textnorm.Fold, for a
// caller that also takes the content hash of it (Folded.Hash).
func MakeFolded(folded textnorm.Folded) Fingerprint {
	s := shingle(folded)
	return Fingerprint{
		Keys:   keys(s),
		Sketch: encodeSketch(s.lead(), s.hashes),
		Words:  s.words,
	}
}

// keys is the bottom-k sample of the keyable shingles, or of all shingles
// when the text has too few long paragraphs to fill it.
func keys(s shingled) []uint64 {
	if len(s.hashes) == 0 {
		return nil
	}
	keyable := 0
	for _, k := range s.keyable {
		if k {
			keyable++
		}
	}
	return bottomK(s, keyable >= keysPerText)
}

// bottomK returns the keysPerText smallest distinct shingle hashes, of the
// keyable shingles only or of all, in ascending order. It keeps them in a
// small sorted array instead of sorting them all: past the first few dozen,
// nearly every hash is larger than the largest kept and costs one
// comparison.
func bottomK(s shingled, keyableOnly bool) []uint64 {
	out := make([]uint64, 0, keysPerText)
	for i, h := range s.hashes {
		if keyableOnly && !s.keyable[i] || len(out) == keysPerText && h >= out[keysPerText-1] {
			continue
		}
		at, found := slices.BinarySearch(out, h)
		if found {
			continue
		}
		if len(out) == keysPerText {
			out = out[:keysPerText-1]
		}
		out = slices.Insert(out, at, h)
	}
	return out
}
