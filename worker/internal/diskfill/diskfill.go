// Package diskfill gives tests a small disk they can fill up: a tmpfs
// mounted on a temporary directory (root only; without the right to mount,
// the test is skipped). It is a test kit: only tests may import it.
package diskfill

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// Mount mounts a tmpfs of the given size (mount's size= option, as "8m")
// on a new temporary directory and returns the directory. The tmpfs is
// unmounted (lazily, so that a file still open does not fail the test)
// when the test ends.
func Mount(t testing.TB, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a %s tmpfs (%v: %s); filling a disk needs one", size, err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// Fill writes path until the file system is full, then gives slack bytes
// back.
func Fill(t testing.TB, path string, slack int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill the disk: %v", err)
			}
			info, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(max(0, info.Size()-slack)); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
}
