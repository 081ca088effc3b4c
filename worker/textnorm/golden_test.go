package textnorm

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/golden"
)

// goldenTexts cover the corners of the hash form: other scripts,
// compatibility forms, combining marks at a paragraph's start, every kind of
// line break, soft hyphens, blank and punctuation-only paragraphs.
var goldenTexts = map[string]string{
	"mixed": "Die Straße in MÜNCHEN wurde am Montag gesperrt, teilte die Polizei mit.\n\n" +
		"\u201eWir prüfen das\u201c, sagte ein Sprecher \u2013 ohne weitere Details.\r\n" +
		"Zei\u00adtung \ufb01nanziert \uff26\uff55\uff4c\uff4c width \u00bd and \u00b4quoted\u00b4 text.\u2028" +
		"\u0301leading mark then words\u2029" +
		"Ελληνικά ΚΕΊΜΕΝΟ με τελικό σίγμα ΟΔΟΣ.\v\f" +
		"\u2014\u2014\u2014\n\n\n\n   \n" +
		"Ärger über Öl: 30\u00a0% mehr, sagt Łukasz Żółć.\u0085" +
		"日本語の文章も、ここに入ります。\n" +
		"Cherokee ᏣᎳᎩ ꮳꮃꭹ, Turkish İstanbul ıi, ligature ǅ.",
	"ascii":        "Plain ASCII text.\n\nWith TWO paragraphs, `ticks` and \"quotes\".",
	"controls":     "a\x00b\x07c\x1bd\x7f e\u200bf\ufeffg \xff\xfe h",
	"empty":        "",
	"blank":        " \n\n\t\r\n ",
	"marks-at-cut": "cafe\n\u0301 x\n\n\u0327c",
}

// The content hash is stored and compared for as long as the archive lives:
// the same text must hash alike in every release.
func TestHashMatchesGolden(t *testing.T) {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(goldenTexts)) {
		fmt.Fprintf(&b, "%s %q %s\n", name, HashForm(goldenTexts[name]), Hash(goldenTexts[name]))
	}
	golden.Check(t, filepath.Join("testdata", "hash.golden"), b.String())
}
