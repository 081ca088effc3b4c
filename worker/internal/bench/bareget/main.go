// Command bareget is the bare HTTP client of the 304 benchmarks as a
// process of its own, as wiresift is: it sends one conditional GET
// (If-None-Match) for each URL of a file, from -concurrency goroutines over
// one keep-alive client, and fails unless every answer is 304 Not Modified.
//
//	bareget -etag '"v1"' -concurrency 8 urls.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
)

func main() {
	etag := flag.String("etag", "", "If-None-Match of every request")
	concurrency := flag.Int("concurrency", 8, "requests in flight")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: bareget [-etag E] [-concurrency N] URLFILE")
		os.Exit(2)
	}
	urls, err := readLines(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bareget:", err)
		os.Exit(1)
	}
	if failed := conditionalGETs(urls, *etag, *concurrency); failed > 0 {
		fmt.Fprintf(os.Stderr, "bareget: %d of %d conditional GETs did not answer 304\n", failed, len(urls))
		os.Exit(1)
	}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, sc.Err()
}

// conditionalGETs returns how many GETs failed or did not answer 304.
func conditionalGETs(urls []string, etag string, workers int) int64 {
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
