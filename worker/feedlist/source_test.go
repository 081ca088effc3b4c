package feedlist

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"testing"
	"testing/iotest"
)

func TestSourceDigestTellsFilesAndBuildsApart(t *testing.T) {
	file := []byte("https://www.example.com/rss\nhttps://news.example.org/feed.xml\n")
	digest := func(file []byte, build string) []byte {
		t.Helper()
		d, err := SourceDigest(bytes.NewReader(file), build)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	same := digest(file, "1.2.0")
	cases := []struct {
		name  string
		file  []byte
		build string
		equal bool
	}{
		{"Same bytes, same build", bytes.Clone(file), "1.2.0", true},
		{"One byte changed, same length", bytes.Replace(file, []byte("www"), []byte("ww2"), 1), "1.2.0", false},
		{"A comment added", append([]byte("# mine\n"), file...), "1.2.0", false},
		{"Another build", file, "1.3.0", false},
		{"Build text moved into the file", append([]byte(`"`), file...), `1.2.0"`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := bytes.Equal(digest(c.file, c.build), same); got != c.equal {
				t.Errorf("digest equal to the original's: %v, want %v", got, c.equal)
			}
		})
	}
}

// A store skips the parse of a file whose SourceDigest it recorded: a
// change to what Parse makes of the same bytes must change parseVersion.
// This pins what Parse makes of testdata/feeds.txt at this parseVersion.
func TestParseIsWhatParseVersionSays(t *testing.T) {
	const (
		pinnedVersion = 1
		pinned        = "d74f2002b01c410dc567b9f279d3bc75dd80d8c7ccbb0328548e192317180d20"
	)
	b, err := os.ReadFile("testdata/feeds.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The entries, and which lines were refused (not the wording).
	entries, errs := Parse(bytes.NewReader(b), "feeds.txt")
	refused := make([]int, len(errs))
	for i, err := range errs {
		var le *LineError
		if errors.As(err, &le) {
			refused[i] = le.Line
		}
	}
	got := fmt.Sprintf("%x", sha256.Sum256(fmt.Appendf(nil, "%+v\n%v", entries, refused)))
	if parseVersion != pinnedVersion || got != pinned {
		t.Errorf("Parse of testdata/feeds.txt at parseVersion %d hashes to %s; pinned: %s at %d.\n"+
			"If Parse now makes other entries or errors of the same bytes, bump parseVersion, then pin both here.",
			parseVersion, got, pinned, pinnedVersion)
	}
}

func TestSourceDigestReportsAReadError(t *testing.T) {
	bad := errors.New("disk gone")
	if d, err := SourceDigest(iotest.ErrReader(bad), "1.2.0"); !errors.Is(err, bad) || d != nil {
		t.Errorf("SourceDigest of a failing reader = %x, %v; want no digest and %v", d, err, bad)
	}
}
