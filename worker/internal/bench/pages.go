package bench

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// LoadPages reads every .html file in dir, in name order, at its real size.
func LoadPages(dir string) ([][]byte, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return nil, fmt.Errorf("bench: list pages: %w", err)
	}
	slices.Sort(names)
	pages := make([][]byte, 0, len(names))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("bench: read page: %w", err)
		}
		pages = append(pages, b)
	}
	return pages, nil
}

// GeneratePages makes n article pages of about 60 kB each (the median size of
// real news pages, template included) for machines without the corpus.
func GeneratePages(n int) [][]byte {
	pages := make([][]byte, n)
	for i := range pages {
		rng := rand.New(rand.NewPCG(uint64(i), 0xbe7c4))
		var b strings.Builder
		fmt.Fprintf(&b, "<!doctype html><html lang=en><head><meta charset=utf-8><title>%s</title></head><body>", sentence(rng, 8))
		b.WriteString("<header><nav><ul>")
		for k := range 40 {
			fmt.Fprintf(&b, `<li><a href="/section/%d">%s</a></li>`, k, sentence(rng, 2))
		}
		b.WriteString("</ul></nav></header><main><article>")
		fmt.Fprintf(&b, "<h1>%s</h1>", sentence(rng, 8))
		for range 14 {
			fmt.Fprintf(&b, "<p>%s</p>", sentence(rng, 60))
		}
		b.WriteString("</article><aside>")
		for k := range 30 {
			fmt.Fprintf(&b, `<div class="teaser"><a href="/story/%d">%s</a></div>`, k, sentence(rng, 10))
		}
		b.WriteString(`</aside></main><footer><p>Footer</p></footer><script>var x = {"a": 1};</script>`)
		b.WriteString(strings.Repeat(`<div class="ad" data-slot="x"></div>`, 600))
		b.WriteString("</body></html>")
		pages[i] = []byte(b.String())
	}
	return pages
}

func sentence(rng *rand.Rand, words int) string {
	const letters = "etaoinshrdlucmfwypvbgk"
	var b strings.Builder
	for w := range words {
		if w > 0 {
			b.WriteByte(' ')
		}
		for range 2 + rng.IntN(8) {
			b.WriteByte(letters[rng.IntN(len(letters))])
		}
	}
	b.WriteByte('.')
	return b.String()
}

// Variant returns copy k of a page as a different story of the same size and
// structure: copy 0 is the page itself; every other copy maps the ASCII
// letters of its text (not of its tags or entities) through a permutation
// chosen by k, so that no two copies share words and the dedup layer cannot
// fold them, and it hides the page's declared canonical URL, which would
// otherwise fold every copy into the first by URL.
func Variant(page []byte, k int) []byte {
	if k == 0 {
		return page
	}
	perm := letterPermutation(k)
	out := make([]byte, len(page))
	inTag, inEntity := false, false
	for i, c := range page {
		switch {
		case inTag:
			inTag = c != '>'
		case c == '<':
			inTag = true
		case inEntity:
			inEntity = c != ';' && c != ' ' && c != '<'
		case c == '&':
			inEntity = true
		case 'a' <= c && c <= 'z':
			c = 'a' + perm[c-'a']
		case 'A' <= c && c <= 'Z':
			c = 'A' + perm[c-'A']
		}
		out[i] = c
	}
	// Same length, so the page keeps its real size.
	out = bytes.ReplaceAll(out, []byte("canonical"), []byte("xanonical"))
	return bytes.ReplaceAll(out, []byte("og:url"), []byte("og:xrl"))
}

// letterPermutation is a derangement-like shuffle of the 26 letters for copy
// k; distinct k give distinct permutations with overwhelming probability.
func letterPermutation(k int) [26]byte {
	rng := rand.New(rand.NewPCG(uint64(k), 0x1e77e75))
	var p [26]byte
	for i, j := range rng.Perm(26) {
		p[i] = byte(j)
	}
	return p
}
