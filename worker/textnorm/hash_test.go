package textnorm

import (
	"strings"
	"testing"
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
