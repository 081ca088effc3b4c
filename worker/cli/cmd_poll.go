package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

func pollFlags(fs *flag.FlagSet, o *options) {
	fetchFlags(fs, o)
	webhookFlags(fs, o)
	robotsFlags(fs, o)
	fs.DurationVar(&o.grace, "grace", 30*time.Second, "after the pass, how long webhook events may still be delivered (the rest wait for the next run)")
	fs.BoolVar(&o.now, "now", false, "poll every active feed now, whatever its schedule says")
}

func runFlags(fs *flag.FlagSet, o *options) {
	fetchFlags(fs, o)
	webhookFlags(fs, o)
	robotsFlags(fs, o)
	fs.DurationVar(&o.grace, "grace", 30*time.Second, "on SIGTERM/SIGINT, how long in-flight polls may take to finish")
	fs.StringVar(&o.listen, "listen", "", "serve /metrics, /healthz and a status page on this address (off by default)")
}

func backfillFlags(fs *flag.FlagSet, o *options) {
	fetchFlags(fs, o)
	webhookFlags(fs, o)
	robotsFlags(fs, o)
	fs.DurationVar(&o.grace, "grace", 30*time.Second, "on SIGTERM/SIGINT, how long in-flight items may take to finish")
	fs.StringVar(&o.feed, "feed", "", "backfill only this feed URL")
	fs.StringVar(&o.since, "since", "", "skip items published before this date, and stop a feed's history there (2006-01-02 or RFC 3339)")
	fs.IntVar(&o.maxPages, "max-pages", pipeline.DefaultMaxPages, "most feed pages read per feed, the current one included (1: no history)")
	fs.StringVar(&o.progress, "progress", "auto", "progress display: bar, log, or auto (bar on a terminal)")
}

// openSynced opens the database and syncs the feeds file into it: the start
// of every command that polls.
func (e *env) openSynced(ctx context.Context, log *slog.Logger) (store.Store, error) {
	st, err := e.openStore(ctx)
	if err != nil {
		return nil, err
	}
	if err := e.syncFeedsFile(ctx, st, log); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// cmdPoll is one pass for cron: poll what is due, print a summary line,
// and a second one saying why the other feeds were not polled.
func cmdPoll(ctx context.Context, e *env) error {
	defer runtime.KeepAlive(newHeapRoom())
	log, err := e.logger()
	if err != nil {
		return err
	}
	if !isPostgres(e.opts.db) {
		unlock, err := lockBeside(e.sqlitePath())
		if errors.Is(err, errLocked) {
			fmt.Fprintf(e.stdout, "another wiresift poll or run is working on %s; nothing to do\n", e.opts.db)
			return nil
		}
		if err != nil {
			return err
		}
		defer unlock()
	}
	st, err := e.openSynced(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := claimAlone(ctx, st, log); err != nil {
		return err
	}
	if e.opts.now {
		if dm, ok := st.(store.DueMaker); ok {
			n, err := dm.MakeAllDue(ctx, time.Now())
			if err != nil {
				return err
			}
			log.Info("-now: every active feed is due", "moved", n)
		}
	}
	hook, err := e.startWebhook(ctx, st, log)
	if err != nil {
		return err
	}
	defer hook.finish()
	rep := newPassReport()
	p, err := e.pipeline(st, log, rep, nil, nil)
	if err != nil {
		return err
	}
	// The feeds the pass will leave alone are counted as it starts, in one
	// query, rather than by reading every feed back after it.
	census, censusErr := st.Census(ctx, time.Now())
	sum, err := p.PollDue(ctx, ctx.Done())
	hook.finish()
	logFurniture(log, p)
	fmt.Fprintln(e.stdout, summaryLine(sum))
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if censusErr == nil { // else the summary line stands alone
		e.printNotPolled(leftByPoll(census, sum.FeedsPolled, err == nil), "wiresift poll -now")
	}
	if err != nil {
		return nil // interrupted: what was done is reported
	}
	return rep.allFailed(sum)
}

// printNotPolled prints why the feeds a pass left alone (c) were not polled.
func (e *env) printNotPolled(c store.FeedCensus, hint string) {
	if line := notPolledLine(c, time.Now(), hint); line != "" {
		fmt.Fprintln(e.stdout, line)
	}
}

// claimAlone tells a SQLite store that this process is its only claimer:
// the caller holds the lock file, and only its holder claims. The leases
// found, a crashed worker's, end, and the store keeps its own in memory.
// On PostgreSQL other workers may be alive: their leases stand and expire
// by themselves.
func claimAlone(ctx context.Context, st store.Store, log *slog.Logger) error {
	sc, ok := st.(store.SoleClaimer)
	if !ok {
		return nil
	}
	n, err := sc.ClaimAlone(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Warn("released leases left by a worker that stopped without saving", "feeds", n)
	}
	return nil
}

// sqlitePath is -db without its optional "sqlite:" prefix.
func (e *env) sqlitePath() string { return strings.TrimPrefix(e.opts.db, "sqlite:") }

// cmdRun is the service: poll feeds as they come due until a signal.
func cmdRun(ctx context.Context, e *env) error {
	defer runtime.KeepAlive(newHeapRoom())
	log, err := e.logger()
	if err != nil {
		return err
	}
	if !isPostgres(e.opts.db) {
		// The same lock as poll's: a cron poll beside the service does
		// nothing, and the service may end the leases of a crashed worker.
		unlock, err := lockBeside(e.sqlitePath())
		if errors.Is(err, errLocked) {
			return fmt.Errorf("another wiresift poll or run is working on %s; stop it first (one worker per SQLite archive)", e.opts.db)
		}
		if err != nil {
			return err
		}
		defer unlock()
	}
	st, err := e.openSynced(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := claimAlone(ctx, st, log); err != nil {
		return err
	}
	svc, err := e.startService(ctx, st, log)
	if err != nil {
		return err
	}
	defer svc.close()
	hook, err := e.startWebhook(ctx, st, log)
	if err != nil {
		return err
	}
	defer hook.finish()
	p, err := e.pipeline(st, log, svc.events, svc.beat, svc.claimDone)
	if err != nil {
		return err
	}
	if svc.metrics != nil {
		svc.metrics.CountFurniture(p.FurnitureDropped)
	}
	work, cancelWork := e.graceful(ctx, log)
	defer cancelWork()
	wake := e.watchFeedsFile(ctx, st, log)
	log.Info("wiresift running", "version", e.build.Version, "db", redactDSN(e.opts.db), "concurrency", e.opts.concurrency)
	svc.ready()
	err = p.Run(work, ctx.Done(), wake)
	svc.stopping()
	hook.finish()
	log.Info("wiresift stopped")
	return err
}

// cmdBackfill ingests everything the feeds hold now, then exits.
func cmdBackfill(ctx context.Context, e *env) error {
	defer runtime.KeepAlive(newHeapRoom())
	since, err := parseDate("since", e.opts.since)
	if err != nil {
		return err
	}
	if e.opts.maxPages < 1 {
		return usagef("-max-pages %d: want at least 1", e.opts.maxPages)
	}
	// The backfill logger erases the progress bar before each line.
	log, err := e.backfillLogger()
	if err != nil {
		return err
	}
	st, err := e.openSynced(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	hook, err := e.startWebhook(ctx, st, log)
	if err != nil {
		return err
	}
	defer hook.finish()
	prog := e.progressFor(ctx, st, log)
	defer prog.finish()
	rep := newPassReport()
	p, err := e.pipeline(st, log, pipeline.MultiEvents{prog, rep}, nil, nil)
	if err != nil {
		return err
	}
	work, cancelWork := e.graceful(ctx, log)
	defer cancelWork()
	sum, err := p.Backfill(work, ctx.Done(), e.opts.feed, pipeline.History{Since: since, MaxPages: e.opts.maxPages})
	prog.finish()
	hook.finish()
	logFurniture(log, p)
	fmt.Fprintln(e.stdout, summaryLine(sum))
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if e.opts.feed == "" {
		// What a backfill left alone: the feeds it did not poll, as they stand now.
		if feeds, err := st.Feeds(ctx); err == nil { // else the summary line stands alone
			rep.mu.Lock()
			left := leftByBackfill(feeds, rep.polled, time.Now())
			rep.mu.Unlock()
			e.printNotPolled(left, "")
		}
	}
	if err != nil {
		return nil // interrupted: what was done is reported
	}
	return rep.allFailed(sum)
}

// logFurniture says how many paragraphs a pass dropped as furniture (the
// debug log names each one).
func logFurniture(log *slog.Logger, p *pipeline.Pipeline) {
	if n := p.FurnitureDropped(); n > 0 {
		log.Info("paragraphs dropped as their hosts' furniture", "paragraphs", n)
	}
}

// graceful returns the context the work runs under: it outlives the first
// SIGINT/SIGTERM (which only stops new work) by -grace, so that items in
// flight can commit.
func (e *env) graceful(ctx context.Context, log interface{ Info(string, ...any) }) (context.Context, context.CancelFunc) {
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		select {
		case <-ctx.Done():
		case <-work.Done():
			return
		}
		log.Info("stopping: finishing work in flight", "grace", e.opts.grace)
		t := time.NewTimer(e.opts.grace)
		defer t.Stop()
		hard := make(chan os.Signal, 1)
		signal.Notify(hard, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(hard)
		select {
		case <-t.C:
		case <-hard:
		case <-work.Done():
		}
		cancel()
	}()
	return work, cancel
}

// redactDSN hides a password in a PostgreSQL URL before it is logged.
func redactDSN(db string) string {
	if i := strings.Index(db, "://"); i >= 0 {
		if at := strings.LastIndex(db, "@"); at > i {
			cred := db[i+3 : at]
			if c := strings.Index(cred, ":"); c >= 0 {
				return db[:i+3] + cred[:c] + ":***" + db[at:]
			}
		}
	}
	return db
}
