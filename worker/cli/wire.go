package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// openExisting opens the database for a command that only reads (or
// changes a feed that must already be there): a SQLite archive that does
// not exist is an error naming the path, never a new empty archive.
func (e *env) openExisting(ctx context.Context) (store.Store, error) {
	if isPostgres(e.opts.db) {
		has, err := postgres.HasArchive(ctx, e.opts.db)
		if err != nil {
			return nil, err
		}
		if !has {
			return nil, fmt.Errorf("no archive in %s: the database has no wiresift tables (check -db or WIRESIFT_DB; poll, run or backfill create them)", redactDSN(e.opts.db))
		}
		return e.openStore(ctx)
	}
	path := strings.TrimPrefix(e.opts.db, "sqlite:")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no archive at %s: the file does not exist (check -db or WIRESIFT_DB; poll, run or backfill create one)", path)
	}
	return e.openStore(ctx)
}

// logger builds the slog logger: text on a terminal, JSON otherwise (or as
// -log-format says).
func (e *env) logger() (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(e.opts.logLevel)); err != nil {
		return nil, usagef("-log-level %q: want debug, info, warn or error", e.opts.logLevel)
	}
	hopts := &slog.HandlerOptions{Level: level, ReplaceAttr: readableAttr}
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

// readableAttr writes durations as "30s" or "1m12.5s" rather than the
// nanoseconds the JSON handler would print, and errors as a user reads
// them (see explain).
func readableAttr(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.String(a.Key, a.Value.Duration().String())
	}
	if err, ok := a.Value.Any().(error); ok && a.Value.Kind() == slog.KindAny {
		return slog.String(a.Key, explain(err))
	}
	return a
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// userAgent is -user-agent, or the default that names this build.
func (e *env) userAgent() string {
	if e.opts.userAgent != "" {
		return e.opts.userAgent
	}
	return fetch.DefaultUserAgent(e.build.Version)
}

// fetcher builds the one HTTP client of the process.
func (e *env) fetcher() *fetch.Client {
	return fetch.New(fetch.Config{
		UserAgent:          e.userAgent(),
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

// sqliteClaimBatch is the claim size on SQLite, where only the holder of
// the poll lock claims (lockBeside): no other worker waits for a share, and
// every claim is a write transaction through the one writer, so larger
// claims pay for fewer of them. On PostgreSQL, workers share the feeds and
// claim pipeline.DefaultClaimBatch at a time.
const sqliteClaimBatch = 256

func (e *env) claimBatch() int {
	if isPostgres(e.opts.db) {
		return pipeline.DefaultClaimBatch
	}
	return sqliteClaimBatch
}

// pipeline wires the stages for poll, run and backfill.
// beat and claimDone feed `run`'s health and watchdog (nil elsewhere).
func (e *env) pipeline(st store.Store, log *slog.Logger, events pipeline.Events, beat func(), claimDone func(error)) (*pipeline.Pipeline, error) {
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
		LearnFurniture:  e.opts.learnFurniture,
		FirstPollMaxAge: e.opts.firstPollMaxAge,
		Lease:           e.opts.lease,
		ClaimBatch:      e.claimBatch(),
		Beat:            beat,
		RobotsOff:       e.robotsOffHosts(),
		ClaimDone:       claimDone,
	}), nil
}
