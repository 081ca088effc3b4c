package textnorm

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// HashForm returns the form a text's content hash is taken of: NFKC, case
// folded, typographic quotes, apostrophes and dashes folded to ASCII, soft
// hyphens dropped and all white space (paragraph breaks included) collapsed
// to one space, so that copies differing only in typography hash alike.
// HashForm is idempotent.
func HashForm(text string) string {
	return hashForm(cases.Fold(), text)
}

// hashForm is HashForm with a case folder the caller may reuse for several
// texts (it is reset on every use; a Caser is not safe for concurrent use).
func hashForm(fold cases.Caser, text string) string {
	if form, ok := hashFormByRune(text); ok {
		return form
	}
	return hashFormWhole(fold, text)
}

// hashFormWhole takes the hash form through the whole chain of transforms,
// for any text.
func hashFormWhole(fold cases.Caser, text string) string {
	s := norm.NFKC.String(clean(text))
	// Full case folding maps ß to ss; the lower-casing after it makes the
	// result stable where x/text's Fold flips between cases (Cherokee). Case
	// mapping can leave a string that NFKC changes again, so NFKC runs last.
	s = norm.NFKC.String(strings.ToLower(fold.String(s)))
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pendingSpace = true
			continue
		}
		r = foldPunct(r)
		if r < 0 {
			continue
		}
		if pendingSpace && b.Len() > 0 {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteRune(r)
	}
	return b.String()
}

// foldPunct maps typographic variants to their ASCII form; -1 drops the rune.
func foldPunct(r rune) rune {
	switch r {
	case '\u00AD': // soft hyphen: invisible, present in some copies only
		return -1
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u00B4', '`', '\u2039', '\u203A':
		return '\''
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB':
		return '"'
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u2E3A', '\u2E3B':
		return '-'
	}
	return r
}

// Hash returns the hex SHA-256 of HashForm(text): the exact-copy identity.
// A text with nothing in its hash form (empty, white space, controls) hashes
// to "", which the store takes as "no hash": two pages whose extraction found
// nothing must not become one article.
func Hash(text string) string {
	form := HashForm(text)
	if form == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(form))
	return hex.EncodeToString(sum[:])
}

// Folded is a text's hash form cut at its line breaks: the HashForm of each
// paragraph, empty ones left out. Joined with one space the paragraphs are
// HashForm of the whole text (nothing in the form crosses a line break), so
// a caller that needs both the content hash and the paragraphs (dedup's
// shingles) folds the text once.
type Folded []string

// Fold returns text's Folded form.
func Fold(text string) Folded {
	fold := cases.Fold()
	var paras Folded
	// The paragraphs are the runs between line breaks, as
	// strings.FieldsFunc(text, isBreak) cuts them, without the list.
	start := -1
	for i, r := range text {
		if !isBreak(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if form := hashForm(fold, text[start:i]); form != "" {
				paras = append(paras, form)
			}
			start = -1
		}
	}
	if start >= 0 {
		if form := hashForm(fold, text[start:]); form != "" {
			paras = append(paras, form)
		}
	}
	return paras
}

// Hash is Hash of the text f was folded from.
func (f Folded) Hash() string {
	if len(f) == 0 {
		return ""
	}
	n := len(f) - 1
	for _, p := range f {
		n += len(p)
	}
	form := make([]byte, 0, n)
	for i, p := range f {
		if i > 0 {
			form = append(form, ' ')
		}
		form = append(form, p...)
	}
	sum := sha256.Sum256(form)
	return hex.EncodeToString(sum[:])
}
