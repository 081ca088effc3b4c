package textnorm

import (
	"golang.org/x/text/unicode/norm"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Empty", "", ""},
		{"Only white space", " \t\n\r\n ", ""},
		{"Spaces collapsed within a paragraph", "a  b\t\tc\u00A0d", "a b c d"},
		{"Blank lines become one paragraph break", "one\n\n\n\ntwo", "one\n\ntwo"},
		{"Single line break is a paragraph break", "one\ntwo", "one\n\ntwo"},
		{"CRLF", "one\r\ntwo\r\n", "one\n\ntwo"},
		{"Leading and trailing space trimmed", "  one \n  two  ", "one\n\ntwo"},
		{"Unicode separators", "one\u2029two\u2028three", "one\n\ntwo\n\nthree"},
		{"NUL and controls removed", "a\x00b\x07c\x1bd", "abcd"},
		{"Invalid UTF-8 removed", "caf\xc3 ok \xff", "caf ok"},
		{"Byte order mark and zero-width space removed", "\uFEFFa\u200Bb", "ab"},
		{"NFC composes", "Cafe\u0301", "Caf\u00e9"},
		{"Compatibility forms kept", "\ufb01le 2\u00b2", "\ufb01le 2\u00b2"},
		{"Typography kept", "\u201cQuote\u201d \u2013 dash", "\u201cQuote\u201d \u2013 dash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Fatalf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Fatalf("Normalize is not idempotent on %q: %q then %q", tt.in, got, again)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "a  b\n\nc", "Cafe\u0301\r\n\x00x", "e \u0301\n\u0301", "\xff\xfe\u2029\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Normalize(s)
		if !utf8.ValidString(once) {
			t.Fatalf("Normalize(%q) = %q, not valid UTF-8", s, once)
		}
		if strings.Contains(once, "\n\n\n") || strings.ContainsRune(once, 0) {
			t.Fatalf("Normalize(%q) = %q, has a NUL or a run of blank lines", s, once)
		}
		if twice := Normalize(once); twice != once {
			t.Fatalf("Normalize not idempotent on %q: %q then %q", s, once, twice)
		}
		if !isNormal(once) {
			t.Fatalf("isNormal(Normalize(%q) = %q) is false, want true: the fast path must know its own output", s, once)
		}
		if isNormal(s) && once != s {
			t.Fatalf("isNormal(%q) is true but Normalize gives %q", s, once)
		}
		h := HashForm(s)
		if again := HashForm(h); again != h {
			t.Fatalf("HashForm not idempotent on %q: %q then %q", s, h, again)
		}
	})
}

// isNormal skips norm's NFC check for a text of nfcAlone runes: that holds
// only if each of them is a starter in NFC alone and no two of them compose,
// in either order. Composition joins a starter with the runes that follow
// it, and every rune here is a starter, so pairs decide it for any length.
func TestNFCAloneRunesAreNFCInAnyOrder(t *testing.T) {
	var alone []string
	for r := rune(1); r < 0x20D0; r++ {
		if nfcAlone(r) {
			alone = append(alone, string(r))
		}
	}
	for _, one := range alone {
		if !norm.NFC.IsNormalString(one) || norm.NFC.PropertiesString(one).CCC() != 0 {
			t.Fatalf("%U: nfcAlone, yet not a starter in NFC", []rune(one)[0])
		}
		for _, two := range alone {
			if !norm.NFC.IsNormalString(one + two) {
				t.Fatalf("%U %U: both nfcAlone, yet not in NFC together", []rune(one)[0], []rune(two)[0])
			}
		}
	}
	// The bounds are tight where composing starts: a combining mark after
	// a letter, U+0300, and the combining marks for symbols, U+20D0.
	for _, r := range []rune{0x300, 0x20D0} {
		if nfcAlone(r) {
			t.Errorf("nfcAlone(%U) = true for a combining mark", r)
		}
	}
	if norm.NFC.IsNormalString("e\u0300") {
		t.Fatal(`"e" + U+0300 is in NFC: the test does not see composition`)
	}
}
