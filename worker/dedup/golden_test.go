package dedup

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/golden"
)

// goldenTexts cover the fixtures and the corners of the hash form: other
// scripts, compatibility forms, combining marks at a paragraph's start,
// every kind of line break, soft hyphens, blank and punctuation-only
// paragraphs.
func goldenTexts(t *testing.T) map[string]string {
	texts := map[string]string{
		"mixed": "Die Straße in MÜNCHEN wurde am Montag gesperrt, teilte die Polizei mit.\n\n" +
			"\u201eWir prüfen das\u201c, sagte ein Sprecher \u2013 ohne weitere Details.\r\n" +
			"Zei\u00adtung \ufb01nanziert \uff26\uff55\uff4c\uff4c width \u00bd and \u00b4quoted\u00b4 text.\u2028" +
			"\u0301leading mark then words in a line of its own here\u2029" +
			"Ελληνικά ΚΕΊΜΕΝΟ με τελικό σίγμα ΟΔΟΣ και ΣΟΦΟΣ εδώ.\v\f" +
			"\u2014\u2014\u2014\n\n\n\n   \n" +
			"Ärger über Öl: Ünternehmen zahlen 30\u00a0% mehr, sagt Łukasz Żółć aus Kraków.\u0085" +
			"日本語の文章も、ここに入ります。句読点もあります。\n" +
			"Cherokee ᏣᎳᎩ ꮳꮃꭹ and Turkish İstanbul ıi and ligature ǅ here.",
		"short":  "Read the full story",
		"empty":  "",
		"blanks": " \n\n\t\r\n ",
	}
	for _, name := range []string{"harbour.txt", "harbour_topic.txt", "rail.txt", "sidebar.txt"} {
		texts[name] = readFixture(t, name)
	}
	texts["long"] = strings.Repeat(texts["harbour.txt"]+"\n\n"+texts["rail.txt"]+"\n\n", 3)
	return texts
}

// fingerprintDigest sums a fingerprint up in one line.
func fingerprintDigest(fp Fingerprint) string {
	h := sha256.New()
	for _, k := range fp.Keys {
		binary.Write(h, binary.LittleEndian, k)
	}
	h.Write(fp.Sketch)
	return fmt.Sprintf("words=%d keys=%d sketch=%d sum=%s", fp.Words, len(fp.Keys), len(fp.Sketch), hex.EncodeToString(h.Sum(nil))[:16])
}

// Stored fingerprints are compared with new ones for as long as the archive
// lives: the same text must give the same fingerprint in every release.
func TestMakeMatchesGolden(t *testing.T) {
	texts := goldenTexts(t)
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(texts)) {
		fmt.Fprintf(&b, "%s %s\n", name, fingerprintDigest(Make(texts[name])))
	}
	golden.Check(t, filepath.Join("testdata", "fingerprints.golden"), b.String())
}
