package fetch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFiles lists the shared corpus files with the given extension, or
// skips when the shared folder is absent (a clone outside CI).
func corpusFiles(t *testing.T, ext string) []string {
	t.Helper()
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared corpus not found at %s", root)
	}
	var files []string
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ext) {
			files = append(files, path)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skipf("no %s files in %s", ext, root)
	}
	return files
}

// Real pages and feeds must pass the content-type check even when the server
// labels them badly, since mislabelled feeds and pages are common.
func TestCorpusBodiesAreAcceptedUnderPoorLabels(t *testing.T) {
	tests := []struct {
		ext    string
		kind   Kind
		labels []string
	}{
		{".html", KindPage, []string{"text/html", "", "text/plain", "application/octet-stream"}},
		{".xml", KindFeed, []string{"application/rss+xml", "", "text/plain", "application/octet-stream", "text/html"}},
	}
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			files := corpusFiles(t, tt.ext)
			for _, label := range tt.labels {
				rejected := 0
				for _, f := range files {
					body, err := os.ReadFile(f)
					if err != nil {
						t.Fatal(err)
					}
					if err := checkType(tt.kind, label, body); err != nil {
						rejected++
						t.Errorf("%s labelled %q: %v", f, label, err)
					}
				}
				t.Logf("%d %s files labelled %q: %d rejected", len(files), tt.ext, label, rejected)
			}
		})
	}
}

// An ordinary article must not read as a request to prove humanity, or a
// site's 503 maintenance page that embeds an article teaser would be
// reported as blocked.
func TestCorpusPagesDoNotLookLikeBotChallenges(t *testing.T) {
	files := corpusFiles(t, ".html")
	var flagged []string
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(body) > challengeSniffBytes {
			body = body[:challengeSniffBytes]
		}
		if asksForProofOfHumanity(body) {
			flagged = append(flagged, filepath.Base(f))
		}
	}
	t.Logf("%d of %d real pages look like a challenge in their first %d bytes", len(flagged), len(files), challengeSniffBytes)
	if max := len(files) / 100; len(flagged) > max {
		t.Fatalf("%d of %d real pages look like a bot challenge (%v...), want at most %d (1%%)",
			len(flagged), len(files), flagged[:min(5, len(flagged))], max)
	}
}
