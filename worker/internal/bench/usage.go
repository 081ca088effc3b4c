package bench

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
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

// ChildWritten is how many bytes a finished child process sent toward
// storage: the pages its writes dirtied in the page cache (ru_oublock).
func ChildWritten(state interface{ SysUsage() any }) int64 {
	ru, ok := state.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0
	}
	return ru.Oublock * 512
}

// PeakRSSWatcher follows a running child's own peak resident set through
// /proc/PID/status (VmHWM). The rusage that Wait returns is no good for this
// when the parent is large: Go starts children with vfork semantics, and
// Linux carries the parent's high-water mark into the child's ru_maxrss at
// exec, so a test process that once held 2 GB reports 2 GB for every child.
type PeakRSSWatcher struct {
	peak atomic.Int64
	stop chan struct{}
	done chan struct{}
}

// WatchPeakRSS polls pid's VmHWM every interval until Stop.
func WatchPeakRSS(pid int, interval time.Duration) *PeakRSSWatcher {
	w := &PeakRSSWatcher{stop: make(chan struct{}), done: make(chan struct{})}
	path := fmt.Sprintf("/proc/%d/status", pid)
	go func() {
		defer close(w.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if hwm, ok := vmHWM(path); ok && hwm > w.peak.Load() {
				w.peak.Store(hwm)
			}
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// Stop ends the polling and returns the highest VmHWM seen, bytes: the one
// read last while the child ran, at most one interval before it exited.
func (w *PeakRSSWatcher) Stop() int64 {
	close(w.stop)
	<-w.done
	return w.peak.Load()
}

func vmHWM(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}
