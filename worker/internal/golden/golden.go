// Package golden compares test output with a file kept under testdata, for
// values that must not change between releases (stored hashes and
// fingerprints). `go test -update` rewrites the files.
package golden

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// Check fails t when got differs from the file at path, and rewrites the
// file first when the test runs with -update.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s changed:\ngot\n%s\nwant\n%s", path, got, want)
	}
}
