package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/schedule"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/postgres"
	"github.com/wiresift/wiresift/worker/store/sqlite"
)

// isPostgres tells a PostgreSQL DSN from a SQLite path.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openStore opens the database named by -db, applying its schema.
func (e *env) openStore(ctx context.Context) (store.Store, error) {
	db := e.opts.db
	if isPostgres(db) {
		return postgres.Open(ctx, db, e.build.PostgresSchema)
	}
	return sqlite.Open(ctx, strings.TrimPrefix(db, "sqlite:"), e.build.SQLiteSchema)
}

// logger builds the slog logger: text on a terminal, JSON otherwise (or as
// -log-format says).
func (e *env) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(e.opts.logLevel)); err != nil {
		return nil, usagef("-log-level %q: want debug, info, warn or error", e.opts.logLevel)
	}
	hopts := &slog.HandlerOptions{Level: level}
	format := e.opts.logFormat
	if format == "auto" {
		format = "json"
		if isTerminal(e.stderr) {
			format = "text"
		}
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, hopts)), nil
	}
	return slog.New(slog.NewTextHandler(e.stderr, hopts)), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// fetcher builds the one HTTP client of the process.
func (e *env) fetcher() *fetch.Client {
	ua := e.opts.userAgent
	if ua == "" {
		ua = fetch.DefaultUserAgent(e.build.Version)
	}
	return fetch.New(fetch.Config{
		UserAgent:          ua,
		Allow:              e.opts.allow,
		MaxFeedBytes:       e.opts.maxFeedSize,
		MaxPageBytes:       e.opts.maxPageSize,
		Timeout:            e.opts.timeout,
		PerHostConcurrency: e.opts.perHost,
		PerHostGap:         e.opts.hostGap,
	})
}

// loadRules reads -rules, if given.
func (e *env) loadRules() (*extract.Rules, error) {
	if e.opts.rules == "" {
		return nil, nil
	}
	r, err := extract.LoadRules(e.opts.rules)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return r, nil
}

// pipeline wires the stages for poll, run and backfill.
func (e *env) pipeline(st store.Store, log *slog.Logger, events pipeline.Events, beat func()) (*pipeline.Pipeline, error) {
	rules, err := e.loadRules()
	if err != nil {
		return nil, err
	}
	return pipeline.New(pipeline.Config{
		Store:           st,
		Fetcher:         e.fetcher(),
		Schedule:        schedule.Policy{Min: e.opts.minInterval, Max: e.opts.maxInterval},
		Rules:           rules,
		Logger:          log,
		Events:          events,
		Concurrency:     e.opts.concurrency,
		KeepRaw:         e.opts.keepRaw,
		FirstPollMaxAge: e.opts.firstPollMaxAge,
		Lease:           e.opts.lease,
		Beat:            beat,
		RobotsOff:       e.robotsOffHosts(),
	}), nil
}
