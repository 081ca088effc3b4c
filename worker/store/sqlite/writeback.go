package sqlite

import "os"

// walWriteback starts the disk writes of the WAL's new frames after each
// commit, without waiting for them. With synchronous=NORMAL no commit syncs
// the WAL, so its frames used to reach the disk only at the next
// checkpoint's fsync, all at once (about 7 MB after 64 ingests, 5 ms). A
// goroutine blocked in that fsync keeps its P until the scheduler's monitor
// notices, so ingests that are ready to run wait meanwhile. Started early,
// the writes overlap the ingests, and the checkpoint's fsync of the WAL
// waits for little (RocksDB's bytes_per_sync does the same).
type walWriteback struct {
	path string
	f    *os.File // opened at the first commit; the WAL exists by then
}

// started starts the writeback of what the last commit wrote. A failure
// costs nothing but the overlap: the checkpoint's fsync still syncs all.
func (w *walWriteback) started() {
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
