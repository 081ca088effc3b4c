package bench

import (
	"runtime"
	"syscall"
	"time"
)

// Usage is a snapshot of this process's resource use.
type Usage struct {
	Wall    time.Time
	CPU     time.Duration // user + system, all threads
	MaxRSS  int64         // peak resident set so far, bytes
	Mallocs uint64        // heap objects allocated so far
	Bytes   uint64        // heap bytes allocated so far
}

// Snapshot reads the process's usage now. It stops the world briefly for
// the allocation counters, so take it outside timed loops.
func Snapshot() Usage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru) // cannot fail for RUSAGE_SELF
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return Usage{
		Wall:    time.Now(),
		CPU:     time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		MaxRSS:  ru.Maxrss * 1024, // Linux reports kilobytes
		Mallocs: ms.Mallocs,
		Bytes:   ms.TotalAlloc,
	}
}

// Delta is what happened between two snapshots.
type Delta struct {
	Wall    time.Duration
	CPU     time.Duration
	Mallocs uint64
	Bytes   uint64
	MaxRSS  int64 // peak at the end (a process-lifetime figure)
}

// Since is the usage from before to u.
func (u Usage) Since(before Usage) Delta {
	return Delta{
		Wall:    u.Wall.Sub(before.Wall),
		CPU:     u.CPU - before.CPU,
		Mallocs: u.Mallocs - before.Mallocs,
		Bytes:   u.Bytes - before.Bytes,
		MaxRSS:  u.MaxRSS,
	}
}

// ChildMaxRSS is the peak resident set of a finished child process, bytes.
func ChildMaxRSS(state interface{ SysUsage() any }) int64 {
	ru, ok := state.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0
	}
	return ru.Maxrss * 1024
}
