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

func TestAtLeastWordsIsCountWordsAgainstAThreshold(t *testing.T) {
	texts := []string{"", "one", "one two", "Hello, World! It's 2024.", "cafe\u0301 x \u0301", "  , ;; ", "Größe ÜBER straße und so weiter"}
	for _, text := range texts {
		count := CountWords(text)
		for n := -1; n <= count+2; n++ {
			if got, want := AtLeastWords(text, n), count >= n; got != want {
				t.Errorf("AtLeastWords(%q, %d) = %v, want %v (%d words)", text, n, got, want, count)
			}
		}
	}
}
