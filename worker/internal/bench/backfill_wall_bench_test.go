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
	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/postgres"
)

// Knobs of the wall-clock benchmarks, after -args. 9 x 79 = 711 pages, the
// count the issue's own script used.
var (
	flagWallFeeds = flag.Int("wall-feeds", 9, "BenchmarkBackfillWall: feeds served")
	flagWallItems = flag.Int("wall-items", 79, "BenchmarkBackfillWall: items per feed")
	flagWallFlags = flag.String("wall-flags", "", "wall-clock benchmarks: more wiresift flags, space-separated, after loopbackFlags (for trying settings; the figures are then not the defaults'")
	flagWrap      = flag.String("wrap", "", "wall-clock benchmarks: a command, space-separated, that runs each wiresift child (\"strace -f -ttt -o /tmp/trace\"); the figures then include its cost")
	flagPerf      = flag.String("perf", "", "wall-clock benchmarks: run each wiresift child under `perf record -g`, writing DIR/wiresift-PID.data (their figures then include perf's cost)")
)

// The loopback exemption and no politeness gap toward the one test host:
// the only flags the wall-clock benchmarks set beside -db and -feeds.
var loopbackFlags = []string{"-allow-net", "127.0.0.1/32", "-host-gap", "-1ns", "-per-host", "32"}

// childFlags are loopbackFlags and whatever -wall-flags adds.
func childFlags() []string {
	return append(slices.Clip(loopbackFlags), strings.Fields(*flagWallFlags)...)
}

// BenchmarkBackfillWall takes the ingest ratio the way issue 19 defines it:
// the wall-clock time of the real `wiresift backfill` binary from start to
// exit, over distinct real-size pages served from a loopback httptest
// server through feeds, with default flags (beside loopbackFlags), against
// html.Parse of the same pages in memory by one goroutine per core. Every
// b.N iteration is a round of both, the parse before and after the ingest,
// and the figures reported are the rounds' medians. The server runs in this process: its CPU is
// reported apart and is in neither figure's CPU, but it competes with the
// child for the cores.
//
// "postgres" is the same on PostgreSQL (WIRESIFT_TEST_POSTGRES). The
// "poll" cases ingest through `wiresift poll` instead, on 237 feeds of 3
// items (711 pages again) so that workers have feeds to share: one worker,
// then three at once on one database, for sizing a deployment.
func BenchmarkBackfillWall(b *testing.B) {
	if testing.Short() {
		b.Skip("runs the wiresift binary")
	}
	bin := crashtest.Binary(b)
	pages, fromCorpus := benchPages(b)
	if !fromCorpus {
		b.Log("corpus absent: generated pages")
	}
	for _, tc := range []struct {
		name         string
		pg           bool
		feeds, items int
		workers      int // 0: one backfill; else that many polls at once
	}{
		{"sqlite", false, *flagWallFeeds, *flagWallItems, 0},
		{"postgres", true, *flagWallFeeds, *flagWallItems, 0},
		{"postgres-poll-1-worker", true, 237, 3, 1},
		{"postgres-poll-3-workers", true, 237, 3, 3},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if tc.pg && os.Getenv(pgtest.EnvDSN) == "" {
				b.Skipf("%s is not set", pgtest.EnvDSN)
			}
			n := tc.feeds * tc.items
			served := make([][]byte, n)
			for k := range served {
				served[k] = Variant(pages[k%len(pages)], k/len(pages))
			}
			var rounds []wallRound
			// The bare parse runs before and after the ingest in each round,
			// and the round takes its mean rate: a drift of the machine's
			// speed during the round then weighs on both sides.
			pagesPerSec := func() float64 {
				parse, err := BareParse(served, cores(), 1)
				if err != nil {
					b.Fatal(err)
				}
				return parse.BytesPerSec / float64(totalBytes(served)) * float64(n)
			}
			for range b.N {
				before := pagesPerSec()
				db := filepath.Join(b.TempDir(), "w.db")
				if tc.pg {
					db = pgtest.DSN(b)
				}
				r := ingestBinary(b, bin, db, served, tc.feeds, tc.items, tc.workers)
				r.parsePerSec = (before + pagesPerSec()) / 2
				rounds = append(rounds, r)
			}
			reportWall(b, rounds, n)
		})
	}
}

// reportWall reports the medians of the rounds of an ingest benchmark.
func reportWall(b *testing.B, rounds []wallRound, n int) {
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
	b.ReportMetric(med(func(r wallRound) float64 { return float64(n) / r.wall.Seconds() / r.parsePerSec }), "ingest/parse")
	b.ReportMetric(med(func(r wallRound) float64 { return r.childCPU.Seconds() * 1000 / float64(n) }), "cpu-s/1000-articles")
	b.ReportMetric(med(func(r wallRound) float64 { return r.childCPU.Seconds() / r.wall.Seconds() }), "cores-busy")
	// The children's writes (SQLite's WAL and checkpoints; PostgreSQL's are
	// the server's, not counted): the kernel's share that CPU time on a busy
	// machine hides.
	b.ReportMetric(med(func(r wallRound) float64 { return float64(r.written) / 1e3 / float64(n) }), "written-kB/article")
	b.ReportMetric(med(func(r wallRound) float64 { return r.serverCPU.Seconds() * 1000 / float64(n) }), "server-cpu-s/1000")
	b.ReportMetric(med(func(r wallRound) float64 { return float64(r.peakRSS) / 1e6 }), "peak-RSS-MB")
	b.ReportMetric(loadAverage(), "load-avg-1m")
}

// wallRound is one ingest by the binary and the bare parse beside it.
type wallRound struct {
	wall, childCPU, serverCPU time.Duration
	peakRSS                   int64 // the largest of the children's
	written                   int64 // bytes the children wrote (ChildWritten), summed
	parsePerSec               float64
}

// ingestBinary serves the pages and ingests them into the fresh database
// db: with `wiresift backfill` when workers is 0, else with that many
// `wiresift poll` processes at once. It fails unless every page was fetched
// once and every item recorded.
func ingestBinary(tb testing.TB, bin, db string, pages [][]byte, feeds, items, workers int) wallRound {
	tb.Helper()
	site := &Site{Feeds: feeds, Items: items, Page: func(f, i int) []byte { return pages[f*items+i] }}
	site.Start()
	defer site.Close()
	feedsFile := writeFeedsFile(tb, site)
	var cmds [][]string
	if workers == 0 {
		cmds = append(cmds, append([]string{"backfill", "-db", db, "-feeds", feedsFile}, childFlags()...))
	} else {
		// The feeds are added first, so that no worker's sync races another's.
		syncFeeds(tb, db, site.FeedURLs())
		for range workers {
			cmds = append(cmds, append([]string{"poll", "-db", db, "-feeds", feedsFile}, childFlags()...))
		}
	}
	r := runWorkers(tb, bin, cmds)
	if got := site.Counts().PageHits; got != int64(len(pages)) {
		tb.Fatalf("ingest fetched %d pages; want %d", got, len(pages))
	}
	// A few corpus pages fold into others (same text), so every item is
	// checked to be recorded as a sighting, and nearly all as articles.
	if arts, srcs := countStored(tb, db); srcs != int64(len(pages)) || arts < int64(len(pages))*98/100 {
		tb.Fatalf("ingest stored %d articles and %d sightings; want %d sightings and as many articles but for a few folded copies",
			arts, srcs, len(pages))
	}
	return r
}

// runWorkers starts one wiresift process per command at once and waits for
// all: wall is from the first start to the last exit, childCPU the sum of
// their CPU, serverCPU this process's meanwhile (the httptest server).
// -perf and -wrap apply to them.
func runWorkers(tb testing.TB, bin string, cmds [][]string) wallRound {
	tb.Helper()
	return runChildren(tb, bin, cmds, true)
}

// runProcess is runWorkers for one process of another command, which
// -perf and -wrap leave alone.
func runProcess(tb testing.TB, bin string, args []string) wallRound {
	tb.Helper()
	return runChildren(tb, bin, [][]string{args}, false)
}

func runChildren(tb testing.TB, bin string, cmds [][]string, wiresift bool) wallRound {
	tb.Helper()
	type child struct {
		cmd *exec.Cmd
		out *strings.Builder
		rss *PeakRSSWatcher
	}
	before := Snapshot()
	start := time.Now()
	var children []child
	for _, args := range cmds {
		c := child{cmd: exec.Command(bin, args...), out: &strings.Builder{}}
		if *flagPerf != "" && wiresift {
			out := filepath.Join(*flagPerf, fmt.Sprintf("wiresift-%d-%d.data", os.Getpid(), len(children)+int(time.Now().UnixNano()%1e6)))
			c.cmd = exec.Command("perf", append([]string{"record", "-q", "-F", "2000", "-g", "-o", out, "--", bin}, args...)...)
		}
		if wrap := strings.Fields(*flagWrap); len(wrap) > 0 && wiresift {
			c.cmd = exec.Command(wrap[0], append(append(wrap[1:], c.cmd.Path), c.cmd.Args[1:]...)...)
		}
		c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
		if err := c.cmd.Start(); err != nil {
			tb.Fatal(err)
		}
		c.rss = WatchPeakRSS(c.cmd.Process.Pid, 10*time.Millisecond)
		children = append(children, c)
	}
	var r wallRound
	var failed []string
	for _, c := range children {
		err := c.cmd.Wait()
		if peak := c.rss.Stop(); peak > r.peakRSS {
			r.peakRSS = peak
		}
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v\n%s", strings.Join(c.cmd.Args, " "), err, c.out.String()))
			continue
		}
		ps := c.cmd.ProcessState
		r.childCPU += ps.UserTime() + ps.SystemTime()
		r.written += ChildWritten(ps)
	}
	r.wall = time.Since(start)
	r.serverCPU = Snapshot().Since(before).CPU
	if len(failed) > 0 {
		tb.Fatal(strings.Join(failed, "\n"))
	}
	return r
}

func writeFeedsFile(tb testing.TB, site *Site) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "feeds.txt")
	if err := os.WriteFile(path, []byte(strings.Join(site.FeedURLs(), "\n")+"\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// openAny opens db, a SQLite path or a postgres:// DSN, in this process.
func openAny(tb testing.TB, db string) store.Store {
	tb.Helper()
	if strings.HasPrefix(db, "postgres") {
		st, err := postgres.Open(context.Background(), db, pgtest.Schema(tb))
		if err != nil {
			tb.Fatal(err)
		}
		return st
	}
	return openStoreAt(tb, db)
}

// syncFeeds adds the feeds to db.
func syncFeeds(tb testing.TB, db string, urls []string) {
	tb.Helper()
	st := openAny(tb, db)
	defer st.Close()
	cfgs := make([]store.FeedConfig, len(urls))
	for i, u := range urls {
		cfgs[i] = store.FeedConfig{URL: u}
	}
	if err := st.SyncFeeds(context.Background(), cfgs); err != nil {
		tb.Fatal(err)
	}
}

// countStored counts db's articles and sightings.
func countStored(tb testing.TB, db string) (articles, sources int64) {
	tb.Helper()
	st := openAny(tb, db)
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
