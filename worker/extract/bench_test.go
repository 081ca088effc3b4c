package extract

import (
	"net/url"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/cputime"
)

// BenchmarkExtractCorpus extracts every corpus page per iteration (parse
// included) and reports MB/s of HTML and pages/s by the wall clock, and
// MB/cpu-s: megabytes of HTML per second of CPU time used by the process
// (garbage collection included), the per-core figure on a shared machine.
//
//	go test ./worker/extract -run '^$' -bench ExtractCorpus -benchmem
func BenchmarkExtractCorpus(b *testing.B) {
	pages, ids := loadCorpus(b)
	type input struct {
		body []byte
		u    *url.URL
	}
	inputs := make([]input, 0, len(ids))
	total := 0
	for _, id := range ids {
		body := readCorpusPage(b, id)
		u, _ := url.Parse(pages[id].URL)
		inputs = append(inputs, input{body, u})
		total += len(body)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Used()
	for i := 0; i < b.N; i++ {
		for _, in := range inputs {
			_, _ = Extract(in.body, Options{URL: in.u})
		}
	}
	cpu := cputime.Used() - cpu0
	b.ReportMetric(float64(len(inputs)*b.N)/b.Elapsed().Seconds(), "pages/s")
	if cpu > 0 {
		b.ReportMetric(float64(total*b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}
