package cli

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/crashtest"
	"github.com/wiresift/wiresift/worker/store/postgres/pgtest"
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
	srv := serveSynd(t, newSyndCorpus(), 0)
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
	// Slow feed answers keep the victim's leases held when it dies.
	srv := serveSynd(t, newSyndCorpus(), 250*time.Millisecond)
	const interval, lease = 4 * time.Second, 3 * time.Second
	run := scaleRun{bin: bin, dsn: dsn, feeds: writeScaleFeeds(t, srv.feedsFile(interval)), lease: lease, concurrency: 12}

	const victim = "scaleout-victim"
	armed := make(chan struct{})
	var requests atomic.Int32
	// Kill on the victim's 10th feed request: the first cycle, when its
	// polls are ingesting pages too.
	srv.onFeedRequest(func(worker string, feed int) {
		if worker != victim {
			return
		}
		if requests.Add(1) == 10 {
			close(armed)
		}
	})
	workers := []*scaleWorker{run.start(t, "scaleout-survivor-1"), run.start(t, "scaleout-survivor-2"), run.start(t, victim)}
	select {
	case <-armed:
	case <-time.After(scaleWaitLimit):
		t.Fatalf("victim made %d feed requests in %v, want 10", requests.Load(), scaleWaitLimit)
	}
	stranded := srv.answering(victim)
	workers[2].kill(t)
	killed := time.Now()
	if len(stranded) == 0 {
		t.Fatalf("want the victim killed while fetching feeds, it had none in flight")
	}
	leases := leasesHeld(t, dsn, srv, stranded)
	for _, f := range stranded {
		if !leases[f].After(killed) {
			t.Errorf("feed %d: want the dead victim's lease still held after the kill at %s, leased until %s",
				f, killed.Format(time.StampMilli), leases[f].Format(time.StampMilli))
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
	t.Logf("killed %s holding %d feed leases %v; %d feed fetches, per worker %v", victim, len(stranded), stranded, totalFetches(log), fetchesByWorker(log))
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

// leasesHeld reads when each feed's lease runs out, straight from the
// database, so that the takeover can be checked against the real expiry.
func leasesHeld(t *testing.T, dsn string, srv *syndServer, feeds []int) map[int]time.Time {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to the test schema: %v", err)
	}
	defer conn.Close(ctx)
	out := map[int]time.Time{}
	for _, f := range feeds {
		var until *time.Time
		if err := conn.QueryRow(ctx, `SELECT leased_until FROM feeds WHERE url = $1`, srv.URL+feedPath(f)).Scan(&until); err != nil {
			t.Fatalf("lease of feed %d: %v", f, err)
		}
		if until != nil {
			out[f] = *until
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
