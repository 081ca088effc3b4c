//go:build !unix

package extracteval

import "time"

// cpuTime is unavailable here; benchmarks then omit per-CPU figures.
func cpuTime() time.Duration { return 0 }
