package store

import (
	"context"
	"errors"
	"time"
)

// ErrStorageFailed: the disk failed a write (an I/O error, a file system
// gone read-only under the run). Like ErrStorageFull, no later write is
// expected to succeed, so a run stops on it.
var ErrStorageFailed = errors.New("store: the disk failed to write the database (I/O error)")

// DueMaker is a store that can make every polled feed due at once: what
// `poll -now` asks for. Both built-in stores have it.
type DueMaker interface {
	// MakeAllDue moves the next poll of every active or blocked feed that
	// is not yet due to now, and returns how many it moved. Leases are left
	// alone, so a feed another worker holds stays with it.
	MakeAllDue(ctx context.Context, now time.Time) (int, error)
}

// SoleClaimer is a store whose caller can promise that no other worker
// claims feeds: SQLite, whose pollers hold a lock file beside the database.
type SoleClaimer interface {
	// ClaimAlone ends every stored lease, a crashed worker's, and returns
	// how many there were. From then on the store keeps its claims'
	// leases in memory: a crash leaves none behind, and other processes
	// (status) see none.
	ClaimAlone(ctx context.Context) (int, error)
}
