package crashtest

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// heapObjects is the runtime metric for bytes in heap objects, live or not
// yet swept: what the process must hold at that moment.
const heapObjects = "/memory/classes/heap/objects:bytes"

// PeakHeap runs f while sampling the heap every millisecond and returns the
// highest heap seen above what was in use before f began (after a GC), so
// that the input built before the call is not counted.
func PeakHeap(f func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	base := s[0].Value.Uint64()

	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: heapObjects}}
		high := base
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			high = max(high, s[0].Value.Uint64())
			select {
			case <-stop:
				peak <- high
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	return <-peak - base
}
