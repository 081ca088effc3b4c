//go:build !linux

package sqlite

import "os"

// startWriteback does nothing where sync_file_range does not exist: the
// checkpoint's fsync writes the WAL's frames, as it always did.
func startWriteback(*os.File) {}
