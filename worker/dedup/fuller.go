package dedup

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wiresift/wiresift/worker/textnorm"
)

// The rule for which copy's text represents a story. A copy trimmed for
// syndication keeps the story's order; the full version holds all of it and
// adds more of the same story. A page that pads a copied story with text of
// its own adds paragraphs that are not about the story.
const (
	// judgedRun: added paragraphs of fewer words than this in a row (a
	// read-more line, a credit, an ad label) are furniture-sized and are
	// not judged.
	judgedRun = 15
	// addedShare: a paragraph of the new text is added when less than this
	// share of its shingles is in the stored text.
	addedShare = 0.5
	// minNames, minNameShare: the rest of a story names the same people,
	// places and organisations as its start, so when added text has at
	// least minNames distinct names (capitalised words inside a sentence),
	// at least minNameShare of them must occur in the stored text. Text
	// about something else names other things.
	minNames     = 3
	minNameShare = 0.25
	// minRelated: added text with fewer names (a recipe, a language
	// without capitals) must share at least this share of its distinct
	// words of longWord letters or more with the stored text.
	minRelated = 0.2
	longWord   = 5
)

// Fuller reports whether text next is a fuller version of the story in old:
// it is longer, holds nearly all of old (upgradeContainment of its
// shingles), and every run of paragraphs it adds, at the end, the start or
// inside, is either short or about the same story (its names, else its long
// words, are old's). A copy with unrelated paragraphs appended or inserted
// is not fuller, however long.
func Fuller(old, next string) bool {
	ow, nw := wordHashes(old), wordHashes(next)
	if len(nw) <= len(ow) {
		return false
	}
	oldShingles := shingleSet(ow)
	if len(oldShingles) == 0 {
		return false
	}
	found := make(map[uint64]bool)
	for i := 0; i+shingleWords <= len(nw); i++ {
		if h := combine(nw[i : i+shingleWords]); oldShingles[h] {
			found[h] = true
		}
	}
	if float64(len(found)) < upgradeContainment*float64(len(oldShingles)) {
		return false
	}
	vocab := make(map[string]bool, len(ow))
	for w := range textnorm.AllWords(old) {
		vocab[w] = true
	}
	var run []string // the added paragraphs in a row
	judge := func() bool {
		text := strings.Join(run, "\n")
		run = run[:0]
		return textnorm.CountWords(text) < judgedRun || about(text, vocab)
	}
	for _, p := range strings.Split(next, "\n") {
		pw := wordHashes(p)
		if len(pw) == 0 {
			continue
		}
		in, all := 0, 0
		for i := 0; i+shingleWords <= len(pw); i++ {
			all++
			if oldShingles[combine(pw[i:i+shingleWords])] {
				in++
			}
		}
		if all > 0 && float64(in) >= addedShare*float64(all) || all == 0 && len(run) == 0 {
			if len(run) > 0 && !judge() {
				return false
			}
			continue
		}
		run = append(run, p)
	}
	return len(run) == 0 || judge()
}

// about reports whether added text is about the story whose words are vocab.
func about(text string, vocab map[string]bool) bool {
	if ns := names(text); len(ns) >= minNames {
		return share(ns, vocab) >= minNameShare
	}
	var long []string
	for w := range textnorm.AllWords(text) {
		if utf8.RuneCountInString(w) >= longWord {
			long = append(long, w)
		}
	}
	if len(long) == 0 {
		return true // nothing but short words: nothing to tell it apart by
	}
	return share(long, vocab) >= minRelated
}

// share is the share of the distinct words of ws found in vocab.
func share(ws []string, vocab map[string]bool) float64 {
	seen := make(map[string]bool, len(ws))
	in := 0
	for _, w := range ws {
		if seen[w] {
			continue
		}
		seen[w] = true
		if vocab[w] {
			in++
		}
	}
	return float64(in) / float64(len(seen))
}

// names returns the lower-cased words of text that start with a capital
// letter inside a sentence: names of people, places and things (and, in
// German, every noun). A sentence's first word says nothing, so it is
// skipped.
func names(text string) []string {
	var out []string
	opens := true
	for _, tok := range strings.Fields(text) {
		word := strings.TrimLeftFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if r, _ := utf8.DecodeRuneInString(word); !opens && unicode.IsUpper(r) {
			for w := range textnorm.AllWords(word) {
				if utf8.RuneCountInString(w) >= 3 {
					out = append(out, w)
				}
			}
		}
		last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(tok, "\"'”’»)]"))
		opens = last == '.' || last == '!' || last == '?' || last == ':'
	}
	return out
}

// wordHashes is the hashes of text's words as shingle folds and hashes
// them: a shingle's hash is combine of shingleWords of them in a row.
func wordHashes(text string) []uint64 {
	var hs []uint64
	for _, p := range textnorm.Fold(text) {
		for w := range textnorm.AllWords(p) {
			hs = append(hs, hashWord(w))
		}
	}
	return hs
}

// shingleSet is the set of the shingle hashes of words hs.
func shingleSet(hs []uint64) map[uint64]bool {
	set := make(map[uint64]bool, max(len(hs)-shingleWords+1, 0))
	for i := 0; i+shingleWords <= len(hs); i++ {
		set[combine(hs[i:i+shingleWords])] = true
	}
	return set
}

// Containment is the share of a's word shingles that also occur in b (0
// when either is shorter than one shingle): how much of a is in b, by the
// same shingles the near-duplicate measure uses.
func Containment(a, b string) float64 {
	aw, bw := wordHashes(a), wordHashes(b)
	if len(aw) < shingleWords || len(bw) < shingleWords {
		return 0
	}
	in := shingleSet(bw)
	hit, total := 0, 0
	for i := 0; i+shingleWords <= len(aw); i++ {
		total++
		if in[combine(aw[i:i+shingleWords])] {
			hit++
		}
	}
	return float64(hit) / float64(total)
}
