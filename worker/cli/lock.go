package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

var errLocked = errors.New("locked by another process")

// lockBeside takes an exclusive lock on a file next to the database, so that
// a second `poll` started by cron while one (or `run`) still works on the
// archive does nothing. The lock dies with the process, so a crash never
// leaves it stuck; and since only a holder of the lock claims feeds on
// SQLite, the holder knows that every lease it finds was left by a worker
// that is gone.
//
// Root and the service user must both be able to take it: a lock file that
// root creates is given the owner of the archive, and a lock file that may
// not be written is still locked through a read-only descriptor (flock
// needs no write permission).
func lockBeside(dbPath string) (unlock func(), err error) {
	name := dbPath + ".lock"
	f, created, err := openLockFile(name)
	if err != nil {
		return nil, fmt.Errorf("lock file %s: %w", name, err)
	}
	if created {
		matchOwner(f, dbPath)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s: %w", name, errLocked)
		}
		return nil, fmt.Errorf("lock file %s: %w", name, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func openLockFile(name string) (f *os.File, created bool, err error) {
	f, err = os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o664)
	if err == nil {
		return f, true, nil
	}
	if f, err = os.OpenFile(name, os.O_RDWR, 0); err == nil {
		return f, false, nil
	}
	if errors.Is(err, os.ErrPermission) {
		// Someone else's lock file: a read-only descriptor locks it too.
		if f, err2 := os.Open(name); err2 == nil {
			return f, false, nil
		}
	}
	return nil, false, err
}

// matchOwner gives a lock file that root just created the owner and group
// of the archive (or of its directory, before the archive exists), so that
// the service user can take the lock after an admin command.
func matchOwner(f *os.File, dbPath string) {
	if os.Geteuid() != 0 {
		return
	}
	fi, err := os.Stat(dbPath)
	if err != nil {
		fi, err = os.Stat(filepath.Dir(dbPath))
	}
	if err != nil {
		return
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && (st.Uid != 0 || st.Gid != 0) {
		f.Chown(int(st.Uid), int(st.Gid))
	}
}
