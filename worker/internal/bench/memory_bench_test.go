package bench

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
)

var (
	flagBackfillSizes = flag.String("backfill-articles", "1000,10000", "BenchmarkBackfillMemory: archive sizes compared")
	flagExportSizes   = flag.String("export-articles", "10000,100000", "BenchmarkExportMemory: archive sizes compared")
)

// itemsPerFeed is the feed length in the memory benchmarks.
const itemsPerFeed = 100

func sizes(tb testing.TB, list string) []int {
	tb.Helper()
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			tb.Fatalf("size %q: want a positive number", f)
		}
		out = append(out, n)
	}
	return out
}

// BenchmarkBackfillMemory runs `wiresift backfill` as a subprocess over n
// distinct real-size articles (100 per feed) for each size, and reports the
// child's peak resident memory (target < 150 MB, and flat from 1,000 to
// 10,000 articles).
func BenchmarkBackfillMemory(b *testing.B) {
	if testing.Short() {
		b.Skip("ingests thousands of pages in a subprocess")
	}
	bin := crashtest.Binary(b)
	pages, _ := benchPages(b)
	b.ResetTimer()
	for range b.N {
		for _, n := range sizes(b, *flagBackfillSizes) {
			feeds := (n + itemsPerFeed - 1) / itemsPerFeed
			site := &Site{Feeds: feeds, Items: itemsPerFeed, Page: func(f, i int) []byte {
				k := f*itemsPerFeed + i
				return Variant(pages[k%len(pages)], k/len(pages))
			}}
			site.Start()
			dir := b.TempDir()
			feedsFile := filepath.Join(dir, "feeds.txt")
			if err := os.WriteFile(feedsFile, []byte(strings.Join(site.FeedURLs(), "\n")+"\n"), 0o644); err != nil {
				b.Fatal(err)
			}
			rss, maxrss, _, errOut := runChild(b, bin, "backfill", "-db", filepath.Join(dir, "w.db"), "-feeds", feedsFile,
				"-allow-net", "127.0.0.1/32", "-host-gap", "-1ns", "-per-host", "32",
				"-concurrency", strconv.Itoa(*flagConcurrency), "-log-level", "error")
			site.Close()
			if got := site.Counts().PageHits; got != int64(feeds*itemsPerFeed) {
				b.Fatalf("backfill of %d articles fetched %d pages; want %d\n%s", n, got, feeds*itemsPerFeed, errOut)
			}
			b.ReportMetric(float64(rss)/1e6, fmt.Sprintf("peak-RSS-MB-%d", feeds*itemsPerFeed))
			b.ReportMetric(float64(maxrss)/1e6, fmt.Sprintf("rusage-maxrss-MB-%d", feeds*itemsPerFeed))
		}
	}
}

// BenchmarkExportMemory runs `wiresift export` as a subprocess over
// synthetic archives of each size (built through SQL, cached in the temp
// dir) and reports the child's peak resident memory: streaming means the
// same figure for 10,000 and 100,000 articles.
func BenchmarkExportMemory(b *testing.B) {
	if testing.Short() {
		b.Skip("builds archives of 100,000 articles")
	}
	bin := crashtest.Binary(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		for _, n := range sizes(b, *flagExportSizes) {
			b.StopTimer()
			a := Archive{Articles: n, KeysPerArticle: 32, SketchBytes: 2000, TextBytes: 3000}
			path := a.CachedPath(cacheDir(b), schema(b))
			if err := a.Build(ctx, path, schema(b)); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			rss, maxrss, lines, _ := runChild(b, bin, "export", "-db", path)
			if lines != n {
				b.Fatalf("export of %d articles printed %d lines; want %d", n, lines, n)
			}
			b.ReportMetric(float64(rss)/1e6, fmt.Sprintf("peak-RSS-MB-%d", n))
			b.ReportMetric(float64(maxrss)/1e6, fmt.Sprintf("rusage-maxrss-MB-%d", n))
		}
	}
}

// runChild runs the command and returns its peak resident memory (VmHWM,
// polled; see PeakRSSWatcher), the ru_maxrss that Wait reports (which
// includes this process's own peak), the lines it printed (counted, never
// kept: an export is large) and its standard error.
func runChild(tb testing.TB, bin string, args ...string) (peak, maxrss int64, lines int, stderr []byte) {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	var stdout lineCounter
	var errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &errOut
	if err := cmd.Start(); err != nil {
		tb.Fatalf("%s %s: %v", filepath.Base(bin), args[0], err)
	}
	w := WatchPeakRSS(cmd.Process.Pid, 10*time.Millisecond)
	err := cmd.Wait()
	peak = w.Stop()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", filepath.Base(bin), args[0], err, errOut.Bytes())
	}
	return peak, ChildMaxRSS(cmd.ProcessState), stdout.lines, errOut.Bytes()
}

// lineCounter counts output lines without keeping the output, so that the
// parent's memory does not grow with the child's export.
type lineCounter struct{ lines int }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.lines += bytes.Count(p, []byte("\n"))
	return len(p), nil
}
