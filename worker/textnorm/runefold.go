package textnorm

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// The hash form is a chain of whole-string transforms (NFKC, case folding,
// lower-casing, NFKC again), each a pass with its own allocation. For most
// text, letters and punctuation of the Latin, Greek and Cyrillic scripts,
// the chain works rune by rune: no such rune combines with the one before
// it under NFKC, before or after folding. For those runes the form of a
// text is the forms of its runes put together, which one pass can do from a
// table. A text with any other rune takes the whole chain.

// runeForm is one rune's part of a hash form.
type runeForm struct {
	form  string
	kind  uint8
	valid bool // the rune's form may be taken alone
}

const (
	formText  uint8 = iota // form holds the rune's text (maybe empty: dropped)
	formSpace              // white space
)

// runeRanges are the blocks the table covers: Latin-1 to Cyrillic, Latin
// Extended Additional (Vietnamese) and General Punctuation.
var runeRanges = [...]struct{ lo, hi rune }{{0x80, 0x530}, {0x1E00, 0x1F00}, {0x2000, 0x2070}}

// runeForms is the table, built once on first use and never modified.
var runeForms = sync.OnceValue(func() [][]runeForm {
	fold := cases.Fold()
	tables := make([][]runeForm, len(runeRanges))
	for i, rg := range runeRanges {
		tables[i] = make([]runeForm, rg.hi-rg.lo)
		for r := rg.lo; r < rg.hi; r++ {
			tables[i][r-rg.lo] = formOfRune(fold, r)
		}
	}
	return tables
})

// formOfRune works out r's runeForm with the whole chain.
func formOfRune(fold cases.Caser, r rune) runeForm {
	s := string(r)
	if !startsSegment(s) {
		return runeForm{}
	}
	if unicode.IsSpace(r) {
		return runeForm{kind: formSpace, valid: true}
	}
	folded := strings.ToLower(fold.String(norm.NFKC.String(clean(s))))
	if !startsSegment(folded) || strings.ContainsFunc(folded, unicode.IsSpace) {
		// Combines after folding, or a compatibility form with a space in
		// it (U+00A8, U+037A), which the whole chain may trim or collapse.
		return runeForm{}
	}
	return runeForm{form: hashFormWhole(fold, s), kind: formText, valid: true}
}

// startsSegment reports whether no rune of s combines with the one before
// it under NFKC.
func startsSegment(s string) bool {
	for i := 0; i < len(s); {
		p := norm.NFKC.PropertiesString(s[i:])
		if !p.BoundaryBefore() {
			return false
		}
		i += p.Size()
	}
	return true
}

// lookupRune returns r's entry, valid false when r is outside the table or
// must take the whole chain.
func lookupRune(tables [][]runeForm, r rune) runeForm {
	for i, rg := range runeRanges {
		if rg.lo <= r && r < rg.hi {
			return tables[i][r-rg.lo]
		}
	}
	return runeForm{}
}

// hashFormByRune is the hash form of a text all of whose runes are ASCII
// or in the table; ok is false otherwise, and the caller takes the chain.
// It builds the form as it checks: texts outside the table are rare.
func hashFormByRune(text string) (form string, ok bool) {
	tables := runeForms()
	var b strings.Builder
	b.Grow(len(text))
	pendingSpace := false
	for i := 0; i < len(text); {
		part, space := "", false
		if c := text[i]; c < utf8.RuneSelf {
			i++
			switch {
			case isASCIISpace(c):
				space = true
			case c < ' ' || c == 0x7f:
				continue // a control: clean drops it
			default:
				part = asciiForms[c]
			}
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			e := lookupRune(tables, r)
			if !e.valid {
				return "", false // invalid UTF-8 decodes to RuneError: not valid either
			}
			space, part = e.kind == formSpace, e.form
		}
		switch {
		case space:
			pendingSpace = true
			continue
		case part == "":
			continue
		}
		if pendingSpace && b.Len() > 0 {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteString(part)
	}
	return b.String(), true
}

// asciiForms is each printable ASCII character's form: lower case, and the
// backtick folded to an apostrophe as foldPunct does.
var asciiForms = func() (forms [utf8.RuneSelf]string) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		forms[c] = string(foldPunct(unicode.ToLower(c)))
	}
	return forms
}()
