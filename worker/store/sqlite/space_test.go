package sqlite

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// TestCheckSpaceSeesAFullDisk: CheckSpace fails, naming the file, while the
// disk under the database has less than store.MinFreeSpace left, and
// passes again once space is freed. It needs a tmpfs to fill (root).
func TestCheckSpaceSeesAFullDisk(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); filling a disk needs one", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	s := openPath(t, filepath.Join(dir, "a.db"))
	if err := s.CheckSpace(); err != nil {
		t.Fatalf("CheckSpace on an empty 8 MiB disk: %v", err)
	}

	tests := []struct {
		name  string
		slack int64 // bytes left free after filling
		full  bool
	}{
		{"no byte left", 0, true},
		{"less than MinFreeSpace left", store.MinFreeSpace / 2, true},
		{"twice MinFreeSpace left", 2 * store.MinFreeSpace, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			filler := filepath.Join(dir, "filler")
			fill(t, filler, tt.slack)
			err := s.CheckSpace()
			switch {
			case tt.full && (!errors.Is(err, store.ErrStorageFull) || !strings.Contains(err.Error(), s.path)):
				t.Errorf("CheckSpace: want ErrStorageFull naming %s, got %v", s.path, err)
			case !tt.full && err != nil:
				t.Errorf("CheckSpace: %v, want nil", err)
			}
			if err := os.Remove(filler); err != nil {
				t.Fatal(err)
			}
			if err := s.CheckSpace(); err != nil {
				t.Errorf("CheckSpace once the space is freed: %v", err)
			}
		})
	}
}

// fill writes path until the file system is full, then gives slack bytes
// back.
func fill(t *testing.T, path string, slack int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
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
