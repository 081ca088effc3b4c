package textnorm

import (
	"testing"
	"unicode/utf8"
)

// FuzzHash checks the content hash's contract: normalising first changes
// nothing, the hash form is a fixed point, and a text with nothing in its
// hash form has no hash.
//
//	go test ./worker/textnorm -run '^$' -fuzz FuzzHash -fuzztime 60s
func FuzzHash(f *testing.F) {
	for _, s := range []string{"", " \n\t", "Café — “quoted” text", "ﬁne Ｆｕｌｌ width", "soft\u00adhyphen", "a\r\n\r\n\r\nb", "\xff\x00 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := Hash(s)
		if again := Hash(Normalize(s)); again != h {
			t.Fatalf("Hash(Normalize(%q)) = %q, want Hash(%q) = %q", s, again, s, h)
		}
		form := HashForm(s)
		if !utf8.ValidString(form) {
			t.Fatalf("HashForm(%q) = %q, not valid UTF-8", s, form)
		}
		if again := Hash(form); again != h {
			t.Fatalf("Hash(HashForm(%q)) = %q, want %q", s, again, h)
		}
		if (form == "") != (h == "") {
			t.Fatalf("HashForm(%q) = %q but Hash = %q: want no hash exactly when the form is empty", s, form, h)
		}
	})
}
