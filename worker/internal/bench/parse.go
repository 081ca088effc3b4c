package bench

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/net/html"
)

// ParseRate is what BareParse measured.
type ParseRate struct {
	BytesPerSec    float64 // wall clock, all workers
	CPUPerByte     float64 // CPU seconds per byte, load-independent
	Pages, Workers int
}

// BareParse parses every page with html.Parse, spread over workers
// goroutines, passes times over: the cost of just reading the HTML, the
// floor under any pipeline.
func BareParse(pages [][]byte, workers, passes int) (ParseRate, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var total int64
	for _, p := range pages {
		total += int64(len(p))
	}
	var firstErr atomic.Value
	before := Snapshot()
	for range passes {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(pages) {
						return
					}
					if _, err := html.Parse(bytes.NewReader(pages[i])); err != nil {
						firstErr.CompareAndSwap(nil, err)
					}
				}
			})
		}
		wg.Wait()
	}
	d := Snapshot().Since(before)
	if e, ok := firstErr.Load().(error); ok {
		return ParseRate{}, fmt.Errorf("bench: bare parse: %w", e)
	}
	parsed := float64(total * int64(passes))
	return ParseRate{
		BytesPerSec: parsed / d.Wall.Seconds(),
		CPUPerByte:  d.CPU.Seconds() / parsed,
		Pages:       len(pages) * passes, Workers: workers,
	}, nil
}
