//go:build !unix

// Package cputime reads the CPU time the process has used, for benchmarks
// that report throughput per core, and what it has written. It is a test
// kit: only tests may import it.
package cputime

import "time"

// Used is unavailable here; benchmarks then omit per-CPU figures.
func Used() time.Duration { return 0 }

// Written is unavailable here; benchmarks then omit the figure.
func Written() int64 { return 0 }
