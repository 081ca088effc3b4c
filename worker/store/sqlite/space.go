package sqlite

import (
	"fmt"
	"path/filepath"
	"syscall"

	"github.com/wiresift/wiresift/worker/store"
)

// CheckSpace implements store.SpaceChecker: the room left to this process
// (blocks reserved for root excluded) on the file system of the database.
func (s *Store) CheckSpace() error {
	if s.readOnly {
		return nil // nothing will be written
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(s.path), &fs); err != nil {
		return fmt.Errorf("sqlite: %s: check free space: %w", s.path, err)
	}
	free := uint64(fs.Bavail) * uint64(fs.Bsize)
	if free < store.MinFreeSpace {
		return fmt.Errorf("sqlite: %s: %w: %d KiB free on its disk, at least %d KiB needed",
			s.path, store.ErrStorageFull, free>>10, store.MinFreeSpace>>10)
	}
	return nil
}
