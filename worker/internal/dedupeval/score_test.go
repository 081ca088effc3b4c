package dedupeval

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir is the shared dedup corpus, beside the repository.
const corpusDir = "../../../../shared/corpus/dedup-dev"

// TestScoreReproducesBaselines checks the scorer on the reference
// decisions shipped with the corpus: each must give its README table row.
func TestScoreReproducesBaselines(t *testing.T) {
	if _, err := os.Stat(filepath.Join(corpusDir, "labels.jsonl")); err != nil {
		t.Skipf("dedup corpus not available: %v", err)
	}
	type row struct {
		p, r, f1              float64
		lost, missed          int
		tmpl, site, topic, ot int
	}
	tests := []struct {
		file string
		want row
	}{
		{"page-sha256.jsonl", row{1.000, 0.000, 0.000, 0, 120, 0, 0, 0, 0}},
		{"page-simhash.jsonl", row{1.000, 0.001, 0.002, 0, 120, 0, 0, 0, 0}},
		{"page-minhash.jsonl", row{0.952, 0.024, 0.047, 0, 117, 1, 0, 0, 0}},
		{"clean-sha256.jsonl", row{1.000, 0.043, 0.083, 0, 117, 0, 0, 0, 0}},
		{"clean-simhash.jsonl", row{1.000, 0.430, 0.602, 0, 87, 0, 0, 0, 0}},
		{"clean-minhash.jsonl", row{1.000, 0.835, 0.910, 0, 32, 0, 0, 0, 0}},
	}
	labels := filepath.Join(corpusDir, "labels.jsonl")
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := ScoreFile(labels, filepath.Join(corpusDir, "baselines", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := row{round3(res.Precision), round3(res.Recall), round3(res.F1), res.Lost, res.MissedDupClusters,
				res.FPSameTemplate, res.FPSameSite, res.FPSameTopic, res.FPOther}
			if got != tt.want {
				t.Fatalf("score of %s = %+v, want the README row %+v", tt.file, got, tt.want)
			}
			if res.Pages != 482 || res.Unknown != 0 || res.GoldPairs != 832 {
				t.Fatalf("pages %d unknown %d gold pairs %d, want 482, 0, 832", res.Pages, res.Unknown, res.GoldPairs)
			}
		})
	}
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
