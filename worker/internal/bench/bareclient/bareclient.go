// Package bareclient is the bare HTTP client of the 304 benchmarks: plain
// net/http, no more than the requests need. The benchmarks run it in their
// process and, through cmd bareget, as a process of its own.
package bareclient

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// ConditionalGETs sends one GET with If-None-Match: etag for each URL, from
// workers goroutines over one keep-alive client, and returns how many
// failed or did not answer 304 Not Modified.
func ConditionalGETs(urls []string, etag string, workers int) int64 {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(urls) {
					return
				}
				req, err := http.NewRequest(http.MethodGet, urls[i], nil)
				if err != nil {
					failed.Add(1)
					continue
				}
				req.Header.Set("If-None-Match", etag)
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				if resp.StatusCode != http.StatusNotModified {
					failed.Add(1)
				}
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	return failed.Load()
}
