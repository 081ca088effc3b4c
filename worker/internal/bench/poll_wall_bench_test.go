package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/internal/storetest"
	"github.com/wiresift/wiresift/worker/schedule"
	"github.com/wiresift/wiresift/worker/store"
)

// BenchmarkPoll304Wall takes the 304 ratio the way issue 19 defines it:
// the wall-clock time of the real `wiresift poll` binary, from start to
// exit, over 10,000 due feeds that all answer 304 Not Modified (default
// flags beside loopbackFlags, so 8 at once), against a bare net/http client
// sending the same 10,000 conditional GETs at the same concurrency, in the
// same run. The bare client runs two ways: in this process, beside the server,
// and as a process of its own (bareget), which like wiresift pays for
// starting and for every request crossing from one process to another
// ("-process" figures). Every b.N iteration is a round of all, and the figures are
// the rounds' medians. Between rounds every feed is made due again in this
// process, as the clock would. CPU-µs per feed counts the server's CPU on
// both sides (for wiresift: its own plus this process's meanwhile), since
// the bare client shares its process with the server.
//
// "sqlite-dated" gives every feed the dates of fifty items first, as feeds
// whose documents list fifty carry (the site's feeds list none, so the
// plain case's feed rows are smaller than real ones). "postgres" and
// "postgres-dated" are the same on PostgreSQL (WIRESIFT_TEST_POSTGRES), and
// "postgres-3-workers" runs three `wiresift poll` at once on one database.
func BenchmarkPoll304Wall(b *testing.B) {
	if testing.Short() {
		b.Skip("runs the wiresift binary")
	}
	bin := crashtest.Binary(b)
	bareget := buildBareget(b)
	for _, tc := range []struct {
		name      string
		pg        bool
		workers   int
		itemDates int
	}{
		{"sqlite", false, 1, 0},
		{"sqlite-dated", false, 1, 50},
		{"postgres", true, 1, 0},
		{"postgres-dated", true, 1, 50},
		{"postgres-3-workers", true, 3, 0},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if tc.pg && os.Getenv(pgtest.EnvDSN) == "" {
				b.Skipf("%s is not set", pgtest.EnvDSN)
			}
			site := &Site{Feeds: pollFeeds, Items: 0}
			site.Start()
			defer site.Close()
			feedsFile := writeFeedsFile(b, site)
			db := filepath.Join(b.TempDir(), "w.db")
			if tc.pg {
				db = pgtest.DSN(b)
			}
			args := append([]string{"poll", "-db", db, "-feeds", feedsFile}, childFlags()...)
			// First pass: every feed answers 200 with its ETag, which the
			// store keeps.
			runWorkers(b, bin, [][]string{args})
			if got := site.Counts().FeedHits; got != pollFeeds {
				b.Fatalf("first pass fetched %d feeds; want %d", got, pollFeeds)
			}
			if tc.itemDates > 0 {
				giveItemDates(b, db, tc.itemDates)
			}
			bareArgs := []string{"-etag", ETag, "-concurrency", strconv.Itoa(*flagConcurrency), feedsFile}
			var pipeWall, bareWall, pipeCPU, childCPU, bareCPU, procWall, procCPU, procChildCPU []float64
			// Both bare clients run before and after wiresift in each round,
			// and the round takes the mean of the two: a drift of the
			// machine's speed during the round then weighs on both sides.
			bareRun := func() (inProcess, process Delta, processOwnCPU time.Duration) {
				before := Snapshot()
				bareConditionalGETs(b, site.FeedURLs(), *flagConcurrency)
				inProcess = Snapshot().Since(before)
				hits := site.Counts().NotModified
				proc := runProcess(b, bareget, bareArgs)
				if got := site.Counts().NotModified - hits; got != pollFeeds {
					b.Fatalf("bareget: server answered %d 304s; want %d", got, pollFeeds)
				}
				return inProcess, Delta{Wall: proc.wall, CPU: proc.childCPU + proc.serverCPU}, proc.childCPU
			}
			mean := func(a, b time.Duration) float64 { return (a + b).Seconds() / 2 }
			for range b.N {
				bare1, proc1, own1 := bareRun()
				makeAllDue(b, db)
				hits := site.Counts().NotModified
				cmds := make([][]string, tc.workers)
				for i := range cmds {
					cmds[i] = args
				}
				r := runWorkers(b, bin, cmds)
				if got := site.Counts().NotModified - hits; got != pollFeeds {
					b.Fatalf("304 pass: server answered %d 304s; want %d (every feed once)", got, pollFeeds)
				}
				pipeWall = append(pipeWall, r.wall.Seconds())
				pipeCPU = append(pipeCPU, (r.childCPU + r.serverCPU).Seconds())
				childCPU = append(childCPU, r.childCPU.Seconds())

				bare2, proc2, own2 := bareRun()
				bareWall = append(bareWall, mean(bare1.Wall, bare2.Wall))
				bareCPU = append(bareCPU, mean(bare1.CPU, bare2.CPU))
				procWall = append(procWall, mean(proc1.Wall, proc2.Wall))
				procCPU = append(procCPU, mean(proc1.CPU, proc2.CPU))
				procChildCPU = append(procChildCPU, mean(own1, own2))
			}
			med := func(v []float64) float64 { v = slices.Clone(v); slices.Sort(v); return v[len(v)/2] }
			ratios := make([]float64, len(pipeWall))
			procRatios := make([]float64, len(pipeWall))
			for i := range ratios {
				ratios[i] = bareWall[i] / pipeWall[i]
				procRatios[i] = procWall[i] / pipeWall[i]
			}
			b.ReportMetric(pollFeeds/med(pipeWall), "feeds/s")
			b.ReportMetric(pollFeeds/med(bareWall), "feeds/s-bare")
			b.ReportMetric(med(ratios), "wiresift/bare")
			b.ReportMetric(pollFeeds/med(procWall), "feeds/s-bare-process")
			b.ReportMetric(med(procRatios), "wiresift/bare-process")
			b.ReportMetric(med(procCPU)*1e6/pollFeeds, "cpu-µs/feed-bare-process")
			b.ReportMetric(med(pipeCPU)*1e6/pollFeeds, "cpu-µs/feed")
			b.ReportMetric(med(bareCPU)*1e6/pollFeeds, "cpu-µs/feed-bare")
			// The child's own CPU, without the server's: what a change to
			// wiresift moves, and less noisy than the sum on a busy machine.
			b.ReportMetric(med(childCPU)*1e6/pollFeeds, "child-cpu-µs/feed")
			// bareget's own, to set beside it.
			b.ReportMetric(med(procChildCPU)*1e6/pollFeeds, "child-cpu-µs/feed-bare-process")
			b.ReportMetric(loadAverage(), "load-avg-1m")
		})
	}
}

// buildBareget builds the bare client command into the benchmark's
// temporary directory.
func buildBareget(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "bareget")
	cmd := exec.Command("go", "build", "-o", bin, "./worker/internal/bench/bareget")
	cmd.Dir = crashtest.RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build bareget: %v\n%s", err, out)
	}
	return bin
}

// giveItemDates saves what wiresift keeps of n item dates an hour apart
// (schedule.DatesToKeep) as every feed of db's, keeping its validators.
func giveItemDates(tb testing.TB, db string, n int) {
	tb.Helper()
	makeAllDue(tb, db)
	st := openAny(tb, db)
	defer st.Close()
	now := time.Now()
	storetest.SaveItemDates(tb, st, now, schedule.DatesToKeep(now, storetest.HoursBefore(now, n)))
}

// makeAllDue makes every feed of db due now.
func makeAllDue(tb testing.TB, db string) {
	tb.Helper()
	st := openAny(tb, db)
	defer st.Close()
	dm, ok := st.(store.DueMaker)
	if !ok {
		tb.Fatalf("store %T cannot make feeds due", st)
	}
	if _, err := dm.MakeAllDue(context.Background(), time.Now()); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkPollNothingDueWall is what a cron `wiresift poll` costs when no
// feed is due, as most runs of a frequent schedule find: the binary from
// start to exit over an archive of 10,000 feeds that were all just polled
// (feeds file unchanged). It is the fixed cost of every run: starting the
// process, opening the database, syncing the feeds file, counting the feeds,
// closing. The figures are the rounds' medians.
func BenchmarkPollNothingDueWall(b *testing.B) {
	if testing.Short() {
		b.Skip("runs the wiresift binary")
	}
	bin := crashtest.Binary(b)
	site := &Site{Feeds: pollFeeds, Items: 0}
	site.Start()
	defer site.Close()
	feedsFile := writeFeedsFile(b, site)
	db := filepath.Join(b.TempDir(), "w.db")
	args := append([]string{"poll", "-db", db, "-feeds", feedsFile}, childFlags()...)
	runWorkers(b, bin, [][]string{args}) // every feed polled once: none due for a while
	var wall, cpu, rss []float64
	for range b.N {
		before := site.Counts()
		r := runWorkers(b, bin, [][]string{args})
		if after := site.Counts(); after != before {
			b.Fatalf("a run with nothing due made requests: %+v, then %+v", before, after)
		}
		wall = append(wall, r.wall.Seconds())
		cpu = append(cpu, r.childCPU.Seconds())
		rss = append(rss, float64(r.peakRSS)/1e6)
	}
	med := func(v []float64) float64 { v = slices.Clone(v); slices.Sort(v); return v[len(v)/2] }
	b.ReportMetric(med(wall)*1e3, "wall-ms/run")
	b.ReportMetric(med(cpu)*1e3, "child-cpu-ms/run")
	b.ReportMetric(med(rss), "peak-RSS-MB")
	b.ReportMetric(loadAverage(), "load-avg-1m")
}
