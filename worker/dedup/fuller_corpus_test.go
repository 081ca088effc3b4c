package dedup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/dedupeval"
)

// TestFullerOnCorpus holds the representation rule to the corpus's clean
// texts: an original is a fuller version of each of its trimmed copies, and
// no text padded with another article's paragraphs (appended at the end or
// inserted after the lead) is a fuller version of it.
//
//	go test ./worker/dedup -run TestFullerOnCorpus -v
func TestFullerOnCorpus(t *testing.T) {
	labels, err := dedupeval.ReadLabels(filepath.Join(corpusDir, "labels.jsonl"))
	if err != nil {
		t.Skipf("dedup corpus not available: %v", err)
	}
	read := func(l dedupeval.Label) string {
		b, err := os.ReadFile(filepath.Join(corpusDir, l.CleanFile))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	originals := map[string]string{}
	var clusters []string
	for _, l := range labels {
		if l.Kind == "original" {
			originals[l.Cluster] = read(l)
			clusters = append(clusters, l.Cluster)
		}
	}
	trimmedTotal, trimmedFuller := 0, 0
	for _, l := range labels {
		if l.Kind != "copy" || !hasOp(l.Ops, "trim_tail") {
			continue
		}
		trimmedTotal++
		if Fuller(read(l), originals[l.Cluster]) {
			trimmedFuller++
		} else if testing.Verbose() {
			t.Logf("original of %s (%v) not judged fuller than its trimmed copy", l.ID, l.Ops)
		}
	}
	padded, paddedFuller := 0, 0
	for i, c := range clusters {
		story := originals[c]
		paras := strings.Split(story, "\n\n")
		for k := 1; k <= 3; k++ {
			other := strings.Split(originals[clusters[(i+k)%len(clusters)]], "\n\n")
			// A third more words from another article, or as many again.
			for _, share := range []int{3, 1} {
				extra := takeWords(other, len(strings.Fields(story))/share)
				for _, p := range []string{
					story + "\n\n" + extra,
					paras[0] + "\n\n" + extra + "\n\n" + strings.Join(paras[1:], "\n\n"),
				} {
					padded++
					if Fuller(story, p) {
						paddedFuller++
						t.Logf("cluster %s: padded text judged fuller", c)
					}
				}
			}
		}
	}
	t.Logf("originals fuller than their trimmed copies: %d of %d; padded texts judged fuller: %d of %d",
		trimmedFuller, trimmedTotal, paddedFuller, padded)
	// The rule errs towards keeping the stored text: a missed upgrade keeps
	// a trimmed but true text, a wrong one puts another story in the archive.
	if trimmedTotal == 0 || float64(trimmedFuller) < 0.7*float64(trimmedTotal) {
		t.Errorf("originals judged fuller than trimmed copies: %d of %d, want at least 70%%", trimmedFuller, trimmedTotal)
	}
	if float64(paddedFuller) > 0.01*float64(padded) {
		t.Errorf("padded texts judged fuller: %d of %d, want at most 1%%", paddedFuller, padded)
	}
}

func hasOp(ops []string, name string) bool {
	for _, o := range ops {
		if o == name || strings.HasPrefix(o, name+":") {
			return true
		}
	}
	return false
}

// takeWords returns whole paragraphs of paras until they hold at least n words.
func takeWords(paras []string, n int) string {
	var out []string
	words := 0
	for _, p := range paras {
		if words >= n {
			break
		}
		out = append(out, p)
		words += len(strings.Fields(p))
	}
	return strings.Join(out, "\n\n")
}
