package dedup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Syndication edits, applied to a text whose first paragraph is the headline,
// the way wire copies differ from each other.

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func paras(text string) []string { return strings.Split(text, "\n\n") }

func join(ps []string) string { return strings.Join(ps, "\n\n") }

func withHeadline(h string) func(string) string {
	return func(text string) string {
		ps := paras(text)
		ps[0] = h
		return join(ps)
	}
}

func withDateline(text string) string {
	ps := paras(text)
	ps[1] = "HAMBURG (Reuters) - " + ps[1]
	return join(ps)
}

func withByline(text string) string {
	ps := paras(text)
	return join(append([]string{ps[0], "By Anna Weber, Staff Reporter"}, ps[1:]...))
}

func withCredit(text string) string {
	return text + "\n\nReporting by Anna Weber; additional reporting by Tom Hayes; Editing by Mark Potter"
}

func withAttribution(text string) string {
	return text + " (AP)\n\nCopyright 2024 The Associated Press."
}

func withReadMore(text string) string {
	ps := paras(text)
	return join(append(ps[:3:3], append([]string{"Read more: Farmers protest against new fertiliser rules"}, ps[3:]...)...))
}

func withAd(text string) string {
	ps := paras(text)
	return join(append(ps[:2:2], append([]string{"Advertisement", "Save 20% on your first order with code SPRING"}, ps[2:]...)...))
}

func withSiteBoilerplate(text string) string {
	return text + "\n\nShare this article\n\nClick to comment\n\nYou must be logged in to post a comment."
}

func quotesStraightened(text string) string {
	return strings.NewReplacer("\u201c", "\"", "\u201d", "\"", "\u2019", "'").Replace(text)
}

func quotesCurled(text string) string {
	open := true
	return strings.Map(func(r rune) rune {
		if r != '"' {
			return r
		}
		open = !open
		if !open {
			return '\u201c'
		}
		return '\u201d'
	}, text)
}

func parasMerged(text string) string {
	ps := paras(text)
	ps[1] = ps[1] + " " + ps[2]
	return join(append(ps[:2:2], ps[3:]...))
}

func hardWrapped(text string) string {
	words := strings.Fields(text)
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteString(map[bool]string{true: "\n", false: " "}[i%9 == 0])
		}
		b.WriteString(w)
	}
	return b.String()
}

// sentenceDropped drops the first sentence of the fourth paragraph.
func sentenceDropped(text string) string {
	ps := paras(text)
	if _, rest, ok := strings.Cut(ps[3], ". "); ok {
		ps[3] = rest
	}
	return join(ps)
}

func wordEdits(text string) string {
	return strings.NewReplacer(" said ", " says ", " euros", " EUR", " percent", "%").Replace(text)
}

// trimmed keeps whole paragraphs from the start until at least share of the
// words are in, as a copy that cut the tail.
func trimmed(share float64) func(string) string {
	return func(text string) string {
		total := len(strings.Fields(text))
		var kept []string
		n := 0
		for _, p := range paras(text) {
			if float64(n) >= share*float64(total) {
				break
			}
			kept = append(kept, p)
			n += len(strings.Fields(p))
		}
		return join(kept)
	}
}

func withFurniture(furniture string) func(string) string {
	return func(text string) string { return text + "\n\n" + furniture }
}

func compose(edits ...func(string) string) func(string) string {
	return func(text string) string {
		for _, e := range edits {
			text = e(text)
		}
		return text
	}
}
