package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

func pollFlags(fs *flag.FlagSet, o *options) { fetchFlags(fs, o) }

func runFlags(fs *flag.FlagSet, o *options) {
	fetchFlags(fs, o)
	fs.DurationVar(&o.grace, "grace", 30*time.Second, "on SIGTERM/SIGINT, how long in-flight polls may take to finish")
	fs.StringVar(&o.listen, "listen", "", "serve /metrics, /healthz and a status page on this address (off by default)")
}

func backfillFlags(fs *flag.FlagSet, o *options) {
	fetchFlags(fs, o)
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

// cmdPoll is one pass for cron: poll what is due, print a summary line.
func cmdPoll(ctx context.Context, e *env) error {
	log, err := e.logger()
	if err != nil {
		return err
	}
	if !isPostgres(e.opts.db) {
		unlock, err := lockBeside(e.opts.db)
		if errors.Is(err, errLocked) {
			fmt.Fprintf(e.stdout, "another wiresift poll is running on %s; nothing to do\n", e.opts.db)
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
	p, err := e.pipeline(st, log, nil, nil)
	if err != nil {
		return err
	}
	sum, err := p.PollDue(ctx, ctx.Done())
	fmt.Fprintln(e.stdout, summaryLine(sum))
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// cmdRun is the service: poll feeds as they come due until a signal.
func cmdRun(ctx context.Context, e *env) error {
	log, err := e.logger()
	if err != nil {
		return err
	}
	st, err := e.openSynced(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := e.startService(ctx, st, log)
	if err != nil {
		return err
	}
	defer svc.close()
	p, err := e.pipeline(st, log, svc.events, svc.beat)
	if err != nil {
		return err
	}
	work, cancelWork := e.graceful(ctx, log)
	defer cancelWork()
	wake := e.watchFeedsFile(ctx, st, log)
	log.Info("wiresift running", "version", e.build.Version, "db", redactDSN(e.opts.db), "concurrency", e.opts.concurrency)
	svc.ready()
	err = p.Run(work, ctx.Done(), wake)
	svc.stopping()
	log.Info("wiresift stopped")
	return err
}

// cmdBackfill ingests everything the feeds hold now, then exits.
func cmdBackfill(ctx context.Context, e *env) error {
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
	prog := e.progressFor(ctx, st, log)
	defer prog.finish()
	p, err := e.pipeline(st, log, prog, nil)
	if err != nil {
		return err
	}
	work, cancelWork := e.graceful(ctx, log)
	defer cancelWork()
	sum, err := p.Backfill(work, ctx.Done(), e.opts.feed, pipeline.History{Since: since, MaxPages: e.opts.maxPages})
	prog.finish()
	fmt.Fprintln(e.stdout, summaryLine(sum))
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
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

// summaryLine is the one-line report of a pass.
func summaryLine(s pipeline.Summary) string {
	var reasons []string
	for _, r := range []string{store.ReasonSameURL, store.ReasonSameHash, store.ReasonNearDuplicate} {
		if n := s.ByReason[r]; n > 0 {
			reasons = append(reasons, fmt.Sprintf("%s %d", r, n))
		}
	}
	sort.Strings(reasons)
	dup := fmt.Sprintf("%d duplicates dropped", s.Duplicates)
	if len(reasons) > 0 {
		dup += " (" + strings.Join(reasons, ", ") + ")"
	}
	line := fmt.Sprintf("polled %d feeds (%d not modified): %d new articles, %s, %d errors",
		s.FeedsPolled, s.NotModified, s.NewArticles, dup, s.Errors)
	if s.Deferred > 0 {
		line += fmt.Sprintf(", %d new items left for the next poll (at most %d a feed a poll)", s.Deferred, pipeline.MaxNewItemsPerPoll)
	}
	if s.Unread > 0 {
		line += fmt.Sprintf(", %d items not read (past %d in a feed document)", s.Unread, feed.MaxItems)
	}
	return line
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
