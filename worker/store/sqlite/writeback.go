package sqlite

import (
	"os"
	"time"
)

// walWriteback starts the disk writes of the WAL's new frames as commits
// add them, without waiting for them. With synchronous=NORMAL no commit
// syncs the WAL, so its frames used to reach the disk only at the next
// checkpoint's fsync, all at once: about 7 MB after 64 ingests (5 ms), or
// a whole 304 pass's state saves at Close (7 ms of the run's end). A
// goroutine blocked in that fsync keeps its P until the scheduler's monitor
// notices, so the work that is ready to run waits meanwhile. Started early,
// the writes overlap the work, and the fsync waits for little (RocksDB's
// bytes_per_sync does the same). Starting them costs a system call that
// looks through the file's cached pages: after every commit of a 304 pass
// that was 2% of its CPU, so they start at most every writebackEvery.
type walWriteback struct {
	path string
	f    *os.File // opened at the first commit; the WAL exists by then
	last time.Time
}

const writebackEvery = 10 * time.Millisecond

// committed starts the writeback of what the commits since the last start
// wrote, unless that start was under writebackEvery ago. A failure costs
// nothing but the overlap: the checkpoint's fsync still syncs all.
func (w *walWriteback) committed(now time.Time) {
	if now.Sub(w.last) < writebackEvery {
		return
	}
	w.last = now
	if w.f == nil {
		f, err := os.Open(w.path)
		if err != nil {
			return
		}
		w.f = f
	}
	startWriteback(w.f)
}

func (w *walWriteback) close() {
	if w.f != nil {
		w.f.Close()
	}
}
