package textnorm

import (
	"iter"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words splits text into lower-case runs of letters and digits; combining
// marks stay inside the word they follow (Devanagari vowel signs, decomposed
// accents). Punctuation, symbols and white space separate words.
func Words(text string) []string {
	return slices.Collect(AllWords(text))
}

// AllWords yields the words of text one by one, as Words returns them,
// without building the slice.
func AllWords(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for start, end := range wordSpans(text) {
			if !yield(strings.ToLower(text[start:end])) {
				return
			}
		}
	}
}

// CountWords is len(Words(text)), without lower-casing or keeping a word.
func CountWords(text string) int {
	n := 0
	for range wordSpans(text) {
		n++
	}
	return n
}

// AtLeastWords reports whether text has n words or more (CountWords(text)
// >= n), reading it no further than its n-th word: a threshold on an
// article's words needs the first few, not the thousand that follow.
func AtLeastWords(text string, n int) bool {
	if n <= 0 {
		return true
	}
	for range wordSpans(text) {
		if n--; n == 0 {
			return true
		}
	}
	return false
}

// wordSpans yields the byte offsets of each word of text: start, end.
func wordSpans(text string) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		start := -1
		for i, r := range text {
			var inWord bool
			if r < utf8.RuneSelf {
				// ASCII, most of most texts: no table look-up, and
				// no ASCII character is a mark.
				inWord = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
			} else {
				inWord = unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && unicode.IsMark(r))
			}
			switch {
			case inWord && start < 0:
				start = i
			case !inWord && start >= 0:
				if !yield(start, i) {
					return
				}
				start = -1
			}
		}
		if start >= 0 {
			yield(start, len(text))
		}
	}
}
