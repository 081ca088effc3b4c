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
	"os"

	"github.com/wiresift/wiresift/worker/internal/bench/bareclient"
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
	if failed := bareclient.ConditionalGETs(urls, *etag, *concurrency); failed > 0 {
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
