package extract

import (
	"strings"
	"testing"
)

func TestStripRaw(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "<p>a</p>", "<p>a</p>"},
		{"comment", "<p>a<!-- x < y --></p>", "<p>a</p>"},
		{"script", `<p>a</p><script type="text/javascript">if (a<b) x()</script><p>b</p>`, "<p>a</p><p>b</p>"},
		{"upper-case script", "<SCRIPT>x</SCRIPT >b", "b"},
		{"json-ld kept", `<script type="application/ld+json">{"a":1}</script>`, `<script type="application/ld+json">{"a":1}</script>`},
		{"upper-case json-ld kept", `<SCRIPT TYPE="Application/LD+JSON">{}</SCRIPT><p>a</p>`, `<SCRIPT TYPE="Application/LD+JSON">{}</SCRIPT><p>a</p>`},
		{"script after text kept apart", `a<b>c</b><Script src="x"></Script>d<!---->e<i>f</i>`, "a<b>c</b>de<i>f</i>"},
		{"html template kept", `<script type='text/template'><p>a</p></script>`, `<script type='text/template'><p>a</p></script>`},
		{"style", "<style>p{}</style><p>a</p>", "<p>a</p>"},
		{"svg", `<svg viewBox="0 0 1 1"><text>x</text></svg>b`, "b"},
		{"custom element kept", "<scripted-view>a</scripted-view>", "<scripted-view>a</scripted-view>"},
		{"unterminated script", "<p>a</p><script>var x", "<p>a</p>"},
		{"lone angle bracket", "a < b", "a < b"},
	}
	for _, tt := range tests {
		if got := string(stripRaw([]byte(tt.in))); got != tt.want {
			t.Errorf("%s: stripRaw(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// appendStripped reuses the room it is given and overwrites what was there.
func TestAppendStrippedReusesRoom(t *testing.T) {
	room := []byte("left over from a longer page before this one")
	got := appendStripped(room[:0], []byte("<p>a</p><script>x</script>"))
	if string(got) != "<p>a</p>" || &got[0] != &room[0] {
		t.Errorf("appendStripped = %q in new memory %v; want %q in the room given", got, &got[0] != &room[0], "<p>a</p>")
	}
}

// Extract recycles its stripped copy of the page: nothing it returns may
// point into it, or the next page would overwrite the last one's result.
func TestExtractResultOutlivesTheScratchBuffer(t *testing.T) {
	page := func(word string) []byte {
		return []byte(`<html lang="en"><head><title>` + word + ` title</title><meta name="author" content="` + word + ` author">` +
			`</head><body><article><h1>` + word + ` headline</h1><p>` + strings.Repeat(word+" sentence, with punctuation. ", 40) +
			`</p><p class="` + word + `">` + strings.Repeat(word+" again. ", 30) + `</p></article></body></html>`)
	}
	first, err := Extract(page("alpha"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := *first
	for range 3 {
		if _, err := Extract(page("omega"), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if *first != want || !strings.Contains(first.Text, "alpha sentence") {
		t.Errorf("first result changed after later extractions: %+v, want %+v", *first, want)
	}
}
