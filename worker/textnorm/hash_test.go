package textnorm

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/cases"
)

func TestHashForm(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Case folded", "Hello WORLD", "hello world"},
		{"German sharp s folded", "STRASSE Straße", "strasse strasse"},
		{"Paragraphs collapsed", "one\n\ntwo \t three", "one two three"},
		{"Curly quotes folded", "\u201cHi,\u201d she\u2019s \u201esagt\u201c", "\"hi,\" she's \"sagt\""},
		{"Guillemets folded", "\u00abOui\u00bb", "\"oui\""},
		{"Dashes folded", "a\u2013b \u2014 c\u2212d", "a-b - c-d"},
		{"NFKC ligature and width", "\ufb01ne \uff21", "fine a"},
		{"Soft hyphen dropped", "Zei\u00adtung", "zeitung"},
		{"No-break space", "10\u00a0km", "10 km"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HashForm(tt.in); got != tt.want {
				t.Fatalf("HashForm(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHashIgnoresTypographyButNotWords(t *testing.T) {
	a := "\u201cWe will,\u201d he said \u2013 twice.\n\nNext  paragraph."
	tests := []struct {
		name  string
		b     string
		equal bool
	}{
		{"Straight quotes, hyphen, merged paragraphs", "\"We will,\" he said - twice. Next paragraph.", true},
		{"Upper case", strings.ToUpper(a), true},
		{"Changed word", "\"We will,\" he says - twice. Next paragraph.", false},
		{"Dropped sentence", "\"We will,\" he said - twice.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Hash(a) == Hash(tt.b); got != tt.equal {
				t.Fatalf("Hash(%q) == Hash(%q) is %v, want %v", a, tt.b, got, tt.equal)
			}
		})
	}
	for _, empty := range []string{"", " \n\t ", "\x00\u200b"} {
		if h := Hash(empty); h != "" {
			t.Fatalf("Hash(%q) = %q, want \"\" for a text without content", empty, h)
		}
	}
	if h := Hash(a); len(h) != 64 {
		t.Fatalf("Hash length = %d, want 64 hex digits", len(h))
	}
}

// Folding paragraph by paragraph gives the whole text's form, also on
// random mixes of the characters where case folding, NFKC and the line
// breaks could interact (FuzzHash explores further).
func TestFoldJoinsToHashForm(t *testing.T) {
	alphabet := []string{"a", "Z", " ", "\n", "\r\n", "\u2028", "\u2029", "\u0085", "\v", "\f", "\t", "\u00a0",
		"\u0301", "\u0327", "\u0308", "Σ", "ς", "ß", "ẞ", "İ", "ı", "Ꮳ", "ꮳ", "ǅ", "ﬁ", "Ｆ", "½", "\u00b4", "\u00a8",
		"\u2033", "\u2011", "\u00ad", "\u201c", "\x00", "\x07", "\xff", "\u200b", "\ufeff", "ü", "u\u0308", "ㄱ", "ᅡ", "가"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := strings.Join(Fold(s), " "), hashFormWhole(cases.Fold(), s); got != want {
			t.Fatalf("Fold(%q) joined = %q, want HashForm = %q", s, got, want)
		}
		if got, want := Fold(s).Hash(), Hash(s); got != want {
			t.Fatalf("Fold(%q).Hash() = %q, want %q", s, got, want)
		}
	}
}
