package dedup

import (
	"unicode/utf8"

	"github.com/wiresift/wiresift/worker/textnorm"
)

// The rule for which copy's text represents a story. A copy trimmed for
// syndication keeps the story's order; the full version holds all of it and
// adds more of the same story. A page that pads a copied story with text of
// its own adds words that are not about the story.
const (
	// judgedRun: a run of added words shorter than this (a read-more line, a
	// credit, an ad label) is furniture-sized and is not judged.
	judgedRun = 15
	// minRelated: every longer added run must share at least this share of
	// its distinct words of five letters or more with the stored text. The
	// rest of a story names the same people, places and things; text that
	// is not about it shares its common long words only.
	minRelated = 0.2
	// longWord is the shortest word (in letters) counted as vocabulary:
	// shorter ones are mostly function words in the languages served.
	longWord = 5
)

// Fuller reports whether text next is a fuller version of the story in old:
// it is longer, holds nearly all of old (upgradeContainment of its
// shingles), and every run of words it adds is either short or about the
// same story (minRelated of its vocabulary is old's). A copy with unrelated
// paragraphs appended or inserted is not fuller, however long.
func Fuller(old, next string) bool {
	ow, nw := foldedWords(old), foldedWords(next)
	if len(nw) <= len(ow) {
		return false
	}
	oldShingles := make(map[uint64]bool)
	for i := 0; i+shingleWords <= len(ow); i++ {
		oldShingles[wordsHash(ow[i:i+shingleWords])] = true
	}
	if len(oldShingles) == 0 {
		return false
	}
	covered := make([]bool, len(nw))
	found := make(map[uint64]bool)
	for i := 0; i+shingleWords <= len(nw); i++ {
		h := wordsHash(nw[i : i+shingleWords])
		if oldShingles[h] {
			found[h] = true
			for j := i; j < i+shingleWords; j++ {
				covered[j] = true
			}
		}
	}
	if float64(len(found)) < upgradeContainment*float64(len(oldShingles)) {
		return false
	}
	vocab := make(map[string]bool, len(ow))
	for _, w := range ow {
		if utf8.RuneCountInString(w) >= longWord {
			vocab[w] = true
		}
	}
	for start := 0; start < len(nw); {
		if covered[start] {
			start++
			continue
		}
		end := start
		for end < len(nw) && !covered[end] {
			end++
		}
		if end-start >= judgedRun && related(nw[start:end], vocab) < minRelated {
			return false
		}
		start = end
	}
	return true
}

// related is the share of run's distinct long words found in vocab.
func related(run []string, vocab map[string]bool) float64 {
	seen := make(map[string]bool)
	in := 0
	for _, w := range run {
		if utf8.RuneCountInString(w) < longWord || seen[w] {
			continue
		}
		seen[w] = true
		if vocab[w] {
			in++
		}
	}
	if len(seen) == 0 {
		return 1 // nothing but short words: nothing to tell it apart by
	}
	return float64(in) / float64(len(seen))
}

// foldedWords is text's words in the form shingles are made of.
func foldedWords(text string) []string {
	var ws []string
	for _, p := range textnorm.Fold(text) {
		for w := range textnorm.AllWords(p) {
			ws = append(ws, w)
		}
	}
	return ws
}

// wordsHash is a shingle's hash, as shingle computes it.
func wordsHash(ws []string) uint64 {
	hs := make([]uint64, len(ws))
	for i, w := range ws {
		hs[i] = hashWord(w)
	}
	return combine(hs)
}

// Containment is the share of a's word shingles that also occur in b (0
// when either is shorter than one shingle): how much of a is in b, by the
// same shingles the near-duplicate measure uses.
func Containment(a, b string) float64 {
	aw, bw := foldedWords(a), foldedWords(b)
	if len(aw) < shingleWords || len(bw) < shingleWords {
		return 0
	}
	in := make(map[uint64]bool, len(bw))
	for i := 0; i+shingleWords <= len(bw); i++ {
		in[wordsHash(bw[i:i+shingleWords])] = true
	}
	hit, total := 0, 0
	for i := 0; i+shingleWords <= len(aw); i++ {
		total++
		if in[wordsHash(aw[i:i+shingleWords])] {
			hit++
		}
	}
	return float64(hit) / float64(total)
}
