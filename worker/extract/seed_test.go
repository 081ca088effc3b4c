package extract

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// seedDir is the shared seed case; testdata holds a copy for checkouts
// without ../shared.
const seedDir = "../../../shared/seed"

// readSeed returns a seed expectation file from ../shared, else from testdata.
func readSeed(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(seedDir, name))
	if errors.Is(err, os.ErrNotExist) {
		b, err = os.ReadFile(filepath.Join("testdata", name))
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// seedBoilerplate is every line of the seed page that is not the article.
var seedBoilerplate = []string{
	"Connect with us", "International Circuit", "Click to comment",
	"You must be logged in to post a comment", "Leave a Reply",
	"Copyright © 2024 Communications Today", "Content is protected",
}

func TestSeedStoryExtractsExactlyInBothTemplates(t *testing.T) {
	wantBody := squash(readSeed(t, "expected-body.txt"))
	wantTitle := strings.TrimSpace(readSeed(t, "expected-title.txt"))
	tests := []struct {
		file, url                           string
		wantSite, wantAuthor, wantCanonical string
		wantPublished                       string
	}{
		{
			"seed-wordpress.html", "https://www.communicationstoday.example/international-circuit/us-efforts/",
			"Communications Today", "CT Bureau",
			"https://www.communicationstoday.example/international-circuit/us-efforts-on-huawei-executive-case-may-save-canadas-stalled-china-policy/",
			"2020-12-04T09:12:31+05:30",
		},
		{
			"seed-other.html", "https://mirror.example/story?id=1",
			"The Northern Ledger", "Reuters",
			"https://www.northernledger.example/world/canada-china-policy-huawei-20201205.html",
			"2020-12-05T14:02:00Z",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(tt.url)
			res, err := Extract(page, Options{URL: u})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if res.SiteName != tt.wantSite || res.Author != tt.wantAuthor || res.CanonicalURL != tt.wantCanonical {
				t.Errorf("got site %q, author %q, canonical %q; want %q, %q, %q",
					res.SiteName, res.Author, res.CanonicalURL, tt.wantSite, tt.wantAuthor, tt.wantCanonical)
			}
			if res.Published == nil || res.Published.Format(time.RFC3339) != tt.wantPublished {
				t.Errorf("got published %v, want %s", res.Published, tt.wantPublished)
			}
			if res.Title != wantTitle {
				t.Errorf("title:\n got %q\nwant %q", res.Title, wantTitle)
			}
			if got := squash(res.Text); got != wantBody {
				t.Errorf("body differs from expected-body.txt\n got: %s\nwant: %s", got, wantBody)
			}
			if strings.Count(res.Text, "\n\n") != strings.Count(strings.TrimSpace(readSeed(t, "expected-body.txt")), "\n\n") {
				t.Errorf("got %d paragraph breaks, want one per paragraph of expected-body.txt", strings.Count(res.Text, "\n\n"))
			}
			for _, b := range seedBoilerplate {
				if strings.Contains(res.Text, b) {
					t.Errorf("boilerplate %q kept in the body", b)
				}
			}
		})
	}
}
