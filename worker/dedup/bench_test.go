package dedup

import (
	"strings"
	"testing"
)

// BenchmarkMake fingerprints a 316-word article.
func BenchmarkMake(b *testing.B) {
	text := readFixture(b, "harbour.txt")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Make(text)
	}
}

// BenchmarkMakeLong fingerprints a 2,500-word text.
func BenchmarkMakeLong(b *testing.B) {
	text := strings.Repeat(readFixture(b, "harbour.txt")+"\n\n"+readFixture(b, "rail.txt")+"\n\n", 4)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Make(text)
	}
}

// BenchmarkBest verifies a copy against the store's maximum of 64
// candidates of article size, one of them the original.
func BenchmarkBest(b *testing.B) {
	harbour, rail, topic := readFixture(b, "harbour.txt"), readFixture(b, "rail.txt"), readFixture(b, "harbour_topic.txt")
	sidebar := readFixture(b, "sidebar.txt")
	others := []string{rail, topic, rail + "\n\n" + sidebar, topic + "\n\n" + rail}
	cands := make([]Candidate, 0, maxCandidates)
	for i := range maxCandidates - 1 {
		cands = append(cands, storedAs(int64(i+1), others[i%len(others)]))
	}
	cands = append(cands, storedAs(999, harbour))
	fp := Make(withDateline(trimmed(0.7)(harbour)))
	b.ResetTimer()
	for b.Loop() {
		if m, ok := Best(fp, cands); !ok || m.ArticleID != 999 {
			b.Fatalf("Best = %+v, %v; want article 999", m, ok)
		}
	}
}
