package textnorm

import (
	"strings"
	"unicode"
)

// Words splits text into lower-case runs of letters and digits; combining
// marks stay inside the word they follow (Devanagari vowel signs, decomposed
// accents). Punctuation, symbols and white space separate words.
func Words(text string) []string {
	var words []string
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && unicode.IsMark(r))
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			words = append(words, strings.ToLower(text[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, strings.ToLower(text[start:]))
	}
	return words
}
