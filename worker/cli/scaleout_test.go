package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
	"github.com/wiresift/wiresift/worker/internal/pgtest"
)

// The scale-out tests run three real `wiresift run` processes against one
// PostgreSQL schema and a server of 200 feeds, and judge the work sharing
// by what the server saw (who fetched which feed when) and the archive by
// `wiresift export`. Run them with:
//
//	WIRESIFT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	    go test ./worker/cli -run ScaleOut -v

// scaleWaitLimit bounds how long a test waits for the polls it needs; the
// runs end on progress (every feed polled so many times), not on a clock.
const scaleWaitLimit = 50 * time.Second

// TestScaleOutThreeWorkersPollEachDueFeedOnce: three workers share 200 feeds
// for several cycles. No feed is fetched twice for one due time, none is
// starved, every worker takes a share, SIGTERM stops each cleanly, and the
// archive holds every item once with each syndicated story as one article.
func TestScaleOutThreeWorkersPollEachDueFeedOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	bin := crashtest.Binary(t)
	srv := serveSynd(t, newSyndCorpus(), 0, 0)
	const interval = 3 * time.Second
	run := scaleRun{bin: bin, dsn: dsn, feeds: writeScaleFeeds(t, srv.feedsFile(interval)), lease: time.Minute, concurrency: 8}

	start := time.Now()
	var workers []*scaleWorker
	for i := range 3 {
		workers = append(workers, run.start(t, fmt.Sprintf("scaleout-worker-%d", i+1)))
	}
	const cycles = 4
	waitWorkers(t, workers, fmt.Sprintf("every feed polled %d times", cycles), func() bool {
		return minFetches(srv.log()) >= cycles
	})
	for _, w := range workers {
		w.stop(t)
	}
	end := time.Now()

	log := srv.log()
	t.Logf("%d feed fetches in %v; per worker %v", totalFetches(log), end.Sub(start).Round(time.Millisecond), fetchesByWorker(log))
	if problems := pollProblems(log, interval, 3*interval, end); len(problems) > 0 {
		t.Errorf("want each due feed polled exactly once per cycle, got %d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	for _, w := range workers {
		if n := fetchesByWorker(log)[w.name]; n == 0 {
			t.Errorf("worker %s: want a share of the feeds, it fetched none (all: %v)", w.name, fetchesByWorker(log))
		}
	}
	if problems := syndicationProblems(run.exportArchive(t), srv); len(problems) > 0 {
		t.Errorf("want every item once and each syndicated story one article, got %d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// TestScaleOutSIGKILLedWorkersLeasesPassToOthers: one of three workers is
// killed while it holds leases on feeds it is fetching. Those feeds stay
// leased until their lease expires, are then polled by the other two, and
// the archive ends with nothing lost and nothing doubled.
func TestScaleOutSIGKILLedWorkersLeasesPassToOthers(t *testing.T) {
	dsn := pgtest.DSN(t)
	bin := crashtest.Binary(t)
	// Slow answers keep the victim's leases held when it dies, some of
	// them with pages half stored.
	srv := serveSynd(t, newSyndCorpus(), 250*time.Millisecond, 40*time.Millisecond)
	const interval, lease = 4 * time.Second, 3 * time.Second
	run := scaleRun{bin: bin, dsn: dsn, feeds: writeScaleFeeds(t, srv.feedsFile(interval)), lease: lease, concurrency: 12}

	const victim = "scaleout-victim"
	armed := make(chan struct{})
	var feedRequests atomic.Int32
	// Kill as the victim fetches a page after 20 feed requests: still the
	// first cycle, with polls of its own in every stage.
	const killAfter = 20
	srv.onRequest(func(worker string, feed int, page bool) {
		switch {
		case worker != victim:
		case !page:
			feedRequests.Add(1)
		case feedRequests.Load() >= killAfter:
			select {
			case <-armed:
			default:
				close(armed)
			}
		}
	})
	workers := []*scaleWorker{run.start(t, "scaleout-survivor-1"), run.start(t, "scaleout-survivor-2"), run.start(t, victim)}
	select {
	case <-armed:
	case <-time.After(scaleWaitLimit):
		t.Fatalf("victim made %d feed requests in %v, want %d and then a page request", feedRequests.Load(), scaleWaitLimit, killAfter)
	}
	fetching, pages := srv.answering(victim), srv.pagesAnswering(victim)
	workers[2].kill(t)
	killed := time.Now()
	leases := strandedLeases(t, dsn, srv, victim, lease)
	if len(leases) == 0 {
		t.Fatalf("want the victim killed holding leases, it held none (fetching feeds %v, %d pages)", fetching, pages)
	}
	var stranded []int
	for f, until := range leases {
		stranded = append(stranded, f)
		if !until.After(killed) {
			t.Errorf("feed %d: want the dead victim's lease still held after the kill at %s, leased until %s",
				f, killed.Format(time.StampMilli), until.Format(time.StampMilli))
		}
	}
	slices.Sort(stranded)
	for _, f := range fetching {
		if _, ok := leases[f]; !ok {
			t.Errorf("feed %d: the victim was fetching it when killed, want its lease held, found none", f)
		}
	}

	survivors := workers[:2]
	waitWorkers(t, survivors, "every feed polled 3 times and the victim's feeds taken over", func() bool {
		log := srv.log()
		return minFetches(log) >= 3 && len(takeovers(log, stranded, victim)) == len(stranded)
	})
	for _, w := range survivors {
		w.stop(t)
	}
	end := time.Now()

	log := srv.log()
	t.Logf("killed %s holding %d leases %v (fetching %d feeds and %d pages); %d feed fetches, per worker %v",
		victim, len(stranded), stranded, len(fetching), pages, totalFetches(log), fetchesByWorker(log))
	for f, at := range takeovers(log, stranded, victim) {
		// Same clock: a survivor claims only once its now passes leased_until.
		if at.Before(leases[f]) {
			t.Errorf("feed %d: taken over at %s, want not before the victim's lease ran out at %s",
				f, at.Format(time.StampMilli), leases[f].Format(time.StampMilli))
		}
		if late := at.Sub(leases[f]); late > 2*interval {
			t.Errorf("feed %d: taken over %v after the lease ran out, want within %v", f, late, 2*interval)
		}
	}
	if problems := pollProblems(log, interval, 3*interval, end); len(problems) > 0 {
		t.Errorf("want each due feed polled exactly once per cycle, got %d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	if problems := syndicationProblems(run.exportArchive(t), srv); len(problems) > 0 {
		t.Errorf("after the SIGKILL: want every item once and each syndicated story one article, got %d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// waitWorkers polls done until it holds, failing if a worker exits by itself or
// scaleWaitLimit passes.
func waitWorkers(t *testing.T, workers []*scaleWorker, what string, done func() bool) {
	t.Helper()
	limit := time.Now().Add(scaleWaitLimit)
	for !done() {
		if time.Now().After(limit) {
			t.Fatalf("want %s within %v, it did not happen", what, scaleWaitLimit)
		}
		for _, w := range workers {
			w.alive(t)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// strandedLeases reads, straight from the database, the leases the dead
// victim still holds and when each runs out, so that the takeover can be
// checked against the real expiry. A lease is the victim's when the feed's
// last fetch was the victim's and the lease was taken (leased_until less
// the lease) before that fetch: a survivor's claim comes after it.
func strandedLeases(t *testing.T, dsn string, srv *syndServer, victim string, lease time.Duration) map[int]time.Time {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to the test schema: %v", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT url, leased_until FROM feeds WHERE leased_until IS NOT NULL`)
	if err != nil {
		t.Fatalf("read leases: %v", err)
	}
	leased, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct {
		url   string
		until time.Time
	}, error) {
		var l struct {
			url   string
			until time.Time
		}
		return l, r.Scan(&l.url, &l.until)
	})
	if err != nil {
		t.Fatalf("read leases: %v", err)
	}
	log := srv.log()
	out := map[int]time.Time{}
	for _, l := range leased {
		var f int
		if _, err := fmt.Sscanf(strings.TrimPrefix(l.url, srv.URL), "/f%d/rss.xml", &f); err != nil || f < 0 || f >= scaleFeeds {
			t.Fatalf("leased feed %s is no feed of the test server", l.url)
		}
		recs := log[f]
		if len(recs) == 0 {
			continue
		}
		last := recs[len(recs)-1]
		if last.worker == victim && !l.until.Add(-lease).After(last.at) {
			out[f] = l.until
		}
	}
	return out
}

// takeovers gives, for each stranded feed, when a worker other than victim
// first fetched it after the victim's last fetch.
func takeovers(log [scaleFeeds][]fetchRecord, stranded []int, victim string) map[int]time.Time {
	out := map[int]time.Time{}
	for _, f := range stranded {
		recs := log[f]
		last := -1
		for i := len(recs) - 1; i >= 0; i-- {
			if recs[i].worker == victim {
				last = i
				break
			}
		}
		if last < 0 {
			continue
		}
		for _, r := range recs[last+1:] {
			if r.worker != victim {
				out[f] = r.at
				break
			}
		}
	}
	return out
}

// pollProblems judges the server's fetch log of a run that ended at end. A
// feed polled twice for one due time shows as two fetches much closer than
// its interval (jitter is ±10%, so half an interval is generous slack); a
// starved feed shows as no fetch at all, a gap above maxGap, or no fetch
// in the last maxGap.
func pollProblems(log [scaleFeeds][]fetchRecord, interval, maxGap time.Duration, end time.Time) []string {
	var problems []string
	for f, recs := range log {
		if len(recs) == 0 {
			problems = append(problems, fmt.Sprintf("feed %d: never fetched", f))
			continue
		}
		for i := 1; i < len(recs); i++ {
			gap := recs[i].at.Sub(recs[i-1].at)
			switch {
			case gap < interval/2:
				problems = append(problems, fmt.Sprintf("feed %d: fetched twice in one cycle, by %s then %s %v apart (interval %v)",
					f, recs[i-1].worker, recs[i].worker, gap.Round(time.Millisecond), interval))
			case gap > maxGap:
				problems = append(problems, fmt.Sprintf("feed %d: starved, %v between two fetches (want at most %v)", f, gap.Round(time.Millisecond), maxGap))
			}
		}
		if idle := end.Sub(recs[len(recs)-1].at); idle > maxGap {
			problems = append(problems, fmt.Sprintf("feed %d: starved, not fetched in the last %v of the run", f, idle.Round(time.Millisecond)))
		}
	}
	return problems
}

func minFetches(log [scaleFeeds][]fetchRecord) int {
	least := -1
	for _, recs := range log {
		if least < 0 || len(recs) < least {
			least = len(recs)
		}
	}
	return least
}

func totalFetches(log [scaleFeeds][]fetchRecord) int {
	n := 0
	for _, recs := range log {
		n += len(recs)
	}
	return n
}

func fetchesByWorker(log [scaleFeeds][]fetchRecord) map[string]int {
	by := map[string]int{}
	for _, recs := range log {
		for _, r := range recs {
			by[r.worker]++
		}
	}
	return by
}
