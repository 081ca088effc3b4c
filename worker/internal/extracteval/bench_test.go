package extracteval

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// BenchmarkWiresiftExtract runs every dev corpus page through the path of
// `wiresift extract` (charset decoding, extraction, normalisation) and,
// in the same run, through bare html.Parse, one page at a time on one
// goroutine. It reports megabytes of raw HTML per CPU-second of the process
// (garbage collection included) for both, and their ratio: the per-core
// figures, which other load on the machine does not change much.
//
//	go test ./worker/internal/extracteval -run '^$' -bench WiresiftExtract -benchtime 5x
func BenchmarkWiresiftExtract(b *testing.B) {
	pages, err := Load(corpusDir)
	if errors.Is(err, fs.ErrNotExist) {
		b.Skipf("corpus %s absent", corpusDir)
	}
	if err != nil {
		b.Fatal(err)
	}
	raws := make([][]byte, len(pages))
	total := 0
	for i, p := range pages {
		if raws[i], err = os.ReadFile(HTMLPath(corpusDir, p.ID)); err != nil {
			b.Fatal(err)
		}
		total += len(raws[i])
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	var parseCPU, extractCPU time.Duration
	for range b.N {
		c0 := cpuTime()
		for _, raw := range raws {
			if _, err := html.Parse(bytes.NewReader(raw)); err != nil {
				b.Fatal(err)
			}
		}
		c1 := cpuTime()
		for i, raw := range raws {
			if _, err := wiresiftExtract(raw, pages[i].URL); err != nil {
				b.Fatalf("%s: %v", pages[i].ID, err)
			}
		}
		parseCPU += c1 - c0
		extractCPU += cpuTime() - c1
	}
	mb := float64(total) * float64(b.N) / 1e6
	if parseCPU > 0 && extractCPU > 0 {
		b.ReportMetric(mb/parseCPU.Seconds(), "parse-MB/cpu-s")
		b.ReportMetric(mb/extractCPU.Seconds(), "extract-MB/cpu-s")
		b.ReportMetric(extractCPU.Seconds()/parseCPU.Seconds(), "extract/parse-cpu")
	}
}
