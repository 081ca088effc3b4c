package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the storage form of an article text: valid UTF-8 in NFC,
// without NUL or other control characters, white space collapsed to one space
// within a paragraph, and paragraphs separated by one blank line. Any line
// break starts a new paragraph: extractors emit one block per line, and
// merging lines the producer kept apart would lose structure for good.
// Normalize is idempotent.
func Normalize(text string) string {
	if isNormal(text) {
		// Stored and extracted texts come back here already normalised;
		// one scan spares rebuilding them.
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	pendingSpace, pendingBreak := false, false
	for _, r := range clean(text) {
		switch {
		case isBreak(r):
			pendingBreak = true
			continue
		case unicode.IsSpace(r):
			pendingSpace = true
			continue
		}
		if b.Len() > 0 {
			if pendingBreak {
				b.WriteString("\n\n")
			} else if pendingSpace {
				b.WriteByte(' ')
			}
		}
		pendingSpace, pendingBreak = false, false
		b.WriteRune(r)
	}
	// NFC last: composing never creates white space or control characters,
	// so the result is a fixed point of the steps above.
	return norm.NFC.String(b.String())
}

// isBreak reports whether r ends a paragraph.
func isBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// clean drops invalid UTF-8, control characters other than white space, and
// the invisible characters that only get in the way of comparing texts (byte
// order mark, zero-width space).
func clean(text string) string {
	if !needsClean(text) {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r == utf8.RuneError && size <= 1 {
			continue
		}
		if !dropped(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsClean(text string) bool {
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			// ASCII, most of most texts: a control other than white space.
			if c < ' ' && !isASCIISpace(c) || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size <= 1 || dropped(r) {
			return true
		}
		i += size
	}
	return false
}

func isASCIISpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// isNormal reports whether text is its own Normalize form: clean, in NFC,
// no white space at either end, and within it only single spaces and
// single blank lines, each between two other characters. One scan checks
// all but NFC, which a text of nfcAlone runes always is.
func isNormal(text string) bool {
	prevSpace := true // no white space at the start
	alone := true     // every rune is nfcAlone
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			i++
			continue
		case c == '\n':
			if prevSpace || i+2 >= len(text) || text[i+1] != '\n' {
				return false
			}
			prevSpace = true
			i += 2
			continue
		case c < utf8.RuneSelf:
			if c < ' ' || c == 0x7f {
				return false // other white space, or a control clean drops
			}
			i++
		default:
			r, size := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && size <= 1 || dropped(r) || unicode.IsSpace(r) {
				return false
			}
			alone = alone && nfcAlone(r)
			i += size
		}
		prevSpace = false
	}
	if prevSpace && text != "" {
		return false // white space at the end
	}
	return alone || norm.NFC.IsNormalString(text)
}

// nfcAlone reports the runes that are in NFC alone and compose with no
// other nfcAlone rune, in either order (TestNFCAloneRunesAreNFCInAnyOrder):
// ASCII, Latin-1, the Latin extensions, IPA and spacing modifiers (all
// below U+0300, where the combining marks start), general punctuation
// (dashes, quotes, the ellipsis) and the currency signs. A text of them is
// in NFC, so most European text needs no check by norm.
func nfcAlone(r rune) bool {
	return r < 0x300 || 0x2010 <= r && r < 0x2070 || 0x20A0 <= r && r < 0x20D0
}

func dropped(r rune) bool {
	switch {
	case r == '\uFEFF', r == '\u200B':
		return true
	case unicode.IsSpace(r):
		return false
	case unicode.IsControl(r):
		return true
	}
	return false
}
