//go:build unix

// Package cputime reads the CPU time the process has used, for benchmarks
// that report throughput per core, and what it has written. It is a test
// kit: only tests may import it.
package cputime

import (
	"syscall"
	"time"
)

// Used returns the CPU time the process has used (user and system, all
// threads). Benchmarks divide by it to report throughput per core even when
// other work shares the machine, which wall-clock MB/s cannot.
func Used() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Written returns how many bytes the process has sent toward storage so
// far: the pages its writes dirtied in the page cache (ru_oublock), whether
// or not they reached the disk yet. For a database that is the WAL frames
// and the checkpoints' copies, the kernel's share of a commit; unlike CPU
// time, other load on the machine does not change it.
func Written() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Oublock * 512
}
