package textnorm

import (
	"reflect"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"Empty", "", nil},
		{"Punctuation splits", "Hello, World! It's 2024.", []string{"hello", "world", "it", "s", "2024"}},
		{"Unicode letters", "Größe ÜBER straße", []string{"größe", "über", "straße"}},
		{"Digits and letters together", "COVID19 a1b2", []string{"covid19", "a1b2"}},
		{"Combining mark stays in word", "cafe\u0301 x", []string{"cafe\u0301", "x"}},
		{"Leading mark is no word", "\u0301a", []string{"a"}},
		{"Hyphenated words split", "e-mail U.S.", []string{"e", "mail", "u", "s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Words(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Words(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
