package crashtest

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// RepoRoot is the repository root, found from this file's location so that
// tests in any package can build the command.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Binary builds the wiresift command into the test's temporary directory
// and returns its path. Killing a process needs a real process, so the
// crash tests cannot run the CLI in-process; building inside the test keeps
// no state between tests (Go's build cache makes a second build a link).
func Binary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "wiresift")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("crashtest: go build: %v\n%s", err, out)
	}
	return bin
}
