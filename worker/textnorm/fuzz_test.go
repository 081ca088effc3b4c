package textnorm

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// FuzzHash checks the content hash's contract: normalising first changes
// nothing, the hash form is a fixed point, a text with nothing in its hash
// form has no hash, and folding paragraph by paragraph (Fold) gives the same
// form and hash as folding the whole text, and the rune-by-rune path gives
// what the whole chain of transforms gives.
//
//	go test ./worker/textnorm -run '^$' -fuzz FuzzHash -fuzztime 60s
func FuzzHash(f *testing.F) {
	for _, s := range []string{"", " \n\t", "Café — “quoted” text", "ﬁne Ｆｕｌｌ width", "soft\u00adhyphen", "a\r\n\r\n\r\nb", "\xff\x00 x",
		"cafe\n\u0301 x\n\n\u0327c", "ΟΔΟΣ\u2028ᏣᎳᎩ\u2029İstanbul\u0085ǅ\v\f½ \u00b4x\u00b4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := Hash(s)
		if again := Hash(Normalize(s)); again != h {
			t.Fatalf("Hash(Normalize(%q)) = %q, want Hash(%q) = %q", s, again, s, h)
		}
		form := HashForm(s)
		if whole := hashFormWhole(cases.Fold(), s); form != whole {
			t.Fatalf("HashForm(%q) = %q, want %q as the whole chain of transforms gives", s, form, whole)
		}
		if !utf8.ValidString(form) {
			t.Fatalf("HashForm(%q) = %q, not valid UTF-8", s, form)
		}
		if again := Hash(form); again != h {
			t.Fatalf("Hash(HashForm(%q)) = %q, want %q", s, again, h)
		}
		if (form == "") != (h == "") {
			t.Fatalf("HashForm(%q) = %q but Hash = %q: want no hash exactly when the form is empty", s, form, h)
		}
		folded := Fold(s)
		if joined := strings.Join(folded, " "); joined != form {
			t.Fatalf("Fold(%q) joined = %q, want HashForm = %q", s, joined, form)
		}
		if fh := folded.Hash(); fh != h {
			t.Fatalf("Fold(%q).Hash() = %q, want Hash = %q", s, fh, h)
		}
		if n, want := CountWords(s), len(Words(s)); n != want {
			t.Fatalf("CountWords(%q) = %d, want len(Words) = %d", s, n, want)
		}
	})
}
