package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
)

// Knobs of BenchmarkBackfillWall, after -args. 9 x 79 = 711 pages, the
// count the issue's own script used.
var (
	flagWallFeeds = flag.Int("wall-feeds", 9, "BenchmarkBackfillWall: feeds served")
	flagWallItems = flag.Int("wall-items", 79, "BenchmarkBackfillWall: items per feed")
)

// BenchmarkBackfillWall takes the ingest ratio the way issue 19 defines it:
// the wall-clock time of the real `wiresift backfill` binary from start to
// exit, over distinct real-size pages served from a loopback httptest
// server through feeds, with default flags (only the loopback exemption and
// no politeness gap toward the one test host), against html.Parse of the
// same pages in memory by one goroutine per core. Every b.N iteration is a
// round of both, interleaved, and the reported figures are the rounds'
// medians. The server runs in this process: its CPU is reported apart and
// is in neither figure's CPU, but it competes with the child for the cores.
func BenchmarkBackfillWall(b *testing.B) {
	if testing.Short() {
		b.Skip("runs the wiresift binary")
	}
	bin := crashtest.Binary(b)
	pages, fromCorpus := benchPages(b)
	feeds, items := *flagWallFeeds, *flagWallItems
	n := feeds * items
	served := make([][]byte, n)
	for k := range served {
		served[k] = Variant(pages[k%len(pages)], k/len(pages))
	}
	if !fromCorpus {
		b.Log("corpus absent: generated pages")
	}
	var rounds []wallRound
	b.ResetTimer()
	for range b.N {
		parse, err := BareParse(served, cores(), 1)
		if err != nil {
			b.Fatal(err)
		}
		r := backfillBinary(b, bin, served, feeds, items)
		r.parsePerSec = parse.BytesPerSec / float64(totalBytes(served)) * float64(n)
		rounds = append(rounds, r)
	}
	b.StopTimer()
	med := func(f func(wallRound) float64) float64 {
		v := make([]float64, len(rounds))
		for i, r := range rounds {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	b.ReportMetric(med(func(r wallRound) float64 { return float64(n) / r.wall.Seconds() }), "articles/s")
	b.ReportMetric(med(func(r wallRound) float64 { return r.parsePerSec }), "bare-parse-pages/s")
	b.ReportMetric(med(func(r wallRound) float64 { return float64(n) / r.wall.Seconds() / r.parsePerSec }), "backfill/parse")
	b.ReportMetric(med(func(r wallRound) float64 { return r.childCPU.Seconds() * 1000 / float64(n) }), "cpu-s/1000-articles")
	b.ReportMetric(med(func(r wallRound) float64 { return r.childCPU.Seconds() / r.wall.Seconds() }), "cores-busy")
	b.ReportMetric(med(func(r wallRound) float64 { return r.serverCPU.Seconds() * 1000 / float64(n) }), "server-cpu-s/1000")
	b.ReportMetric(med(func(r wallRound) float64 { return float64(r.peakRSS) / 1e6 }), "peak-RSS-MB")
	b.ReportMetric(loadAverage(), "load-avg-1m")
}

// wallRound is one backfill of the binary and the bare parse beside it.
type wallRound struct {
	wall, childCPU, serverCPU time.Duration
	peakRSS                   int64
	parsePerSec               float64
}

// backfillBinary runs `wiresift backfill` on a fresh database over the
// pages, and fails unless every page was fetched once and became its own
// article.
func backfillBinary(tb testing.TB, bin string, pages [][]byte, feeds, items int) wallRound {
	tb.Helper()
	site := &Site{Feeds: feeds, Items: items, Page: func(f, i int) []byte { return pages[f*items+i] }}
	site.Start()
	defer site.Close()
	dir := tb.TempDir()
	feedsFile := filepath.Join(dir, "feeds.txt")
	if err := os.WriteFile(feedsFile, []byte(strings.Join(site.FeedURLs(), "\n")+"\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	db := filepath.Join(dir, "w.db")
	cmd := exec.Command(bin, "backfill", "-db", db, "-feeds", feedsFile,
		"-allow-net", "127.0.0.1/32", "-host-gap", "-1ns", "-per-host", "32")
	var errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &errOut, &errOut
	before := Snapshot()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	w := WatchPeakRSS(cmd.Process.Pid, 10*time.Millisecond)
	err := cmd.Wait()
	wall := time.Since(start)
	peak := w.Stop()
	server := Snapshot().Since(before).CPU
	if err != nil {
		tb.Fatalf("wiresift backfill: %v\n%s", err, errOut.String())
	}
	if got := site.Counts().PageHits; got != int64(len(pages)) {
		tb.Fatalf("backfill fetched %d pages; want %d\n%s", got, len(pages), errOut.String())
	}
	// A few corpus pages fold into others (same text), so every item is
	// checked to be recorded as a sighting, and nearly all as articles.
	if arts, srcs := countStored(tb, db); srcs != int64(len(pages)) || arts < int64(len(pages))*98/100 {
		tb.Fatalf("backfill stored %d articles and %d sightings; want %d sightings and as many articles but for a few folded copies\n%s",
			arts, srcs, len(pages), errOut.String())
	}
	ps := cmd.ProcessState
	return wallRound{wall: wall, childCPU: ps.UserTime() + ps.SystemTime(), serverCPU: server, peakRSS: peak}
}

// countStored opens the backfilled database and counts its articles and
// sightings.
func countStored(tb testing.TB, path string) (articles, sources int64) {
	tb.Helper()
	st := openStoreAt(tb, path)
	defer st.Close()
	stats, err := st.Stats(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return stats.Articles, stats.Sources
}

// loadAverage is the 1-minute load average, to read each figure against.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	var l float64
	if _, err := fmt.Sscan(string(b), &l); err != nil {
		return -1
	}
	return l
}
