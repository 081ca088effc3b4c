package sqlite

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/diskfill"
	"github.com/wiresift/wiresift/worker/store"
)

// TestCheckSpaceSeesAFullDisk: CheckSpace fails, naming the file, while the
// disk under the database has less than store.MinFreeSpace left, and
// passes again once space is freed. It needs a tmpfs to fill (root).
func TestCheckSpaceSeesAFullDisk(t *testing.T) {
	dir := diskfill.Mount(t, "8m")
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
			diskfill.Fill(t, filler, tt.slack)
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
