package extract

import (
	"net/url"
	"testing"
)

// BenchmarkExtractCorpus extracts every corpus page per iteration (parse
// included) and reports MB/s of HTML and pages/s.
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
	for i := 0; i < b.N; i++ {
		for _, in := range inputs {
			_, _ = Extract(in.body, Options{URL: in.u})
		}
	}
	b.ReportMetric(float64(len(inputs)*b.N)/b.Elapsed().Seconds(), "pages/s")
}
