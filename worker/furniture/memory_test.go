package furniture

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkFullLearnerMemory fills a Learner to the bounds the program runs
// (1024 hosts of 512 paragraphs, article.FurnitureMax*) and reports the
// heap it holds: the most furniture learning can cost.
//
//	go test ./worker/furniture -run '^$' -bench FullLearnerMemory -benchtime 1x
func BenchmarkFullLearnerMemory(b *testing.B) {
	const hosts, paras = 1024, 512
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		l := &Learner{MaxParagraphs: paras, MaxHosts: hosts}
		page := make([]string, 0, 16)
		for h := range hosts {
			host := fmt.Sprintf("site%d.example", h)
			// Paragraphs that recur (count 2) so none is forgotten.
			for p := 0; p < paras; p += 16 {
				page = page[:0]
				for i := range 16 {
					page = append(page, fmt.Sprintf("paragraph %d of host %d", p+i, h))
				}
				l.Observe(host, page)
				l.Observe(host, page)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if got := len(l.hosts); got != hosts {
			b.Fatalf("%d hosts, want %d", got, hosts)
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-held")
		runtime.KeepAlive(l)
	}
}
