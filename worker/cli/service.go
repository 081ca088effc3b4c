package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/metrics"
	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/status"
	"github.com/wiresift/wiresift/worker/store"
)

// watchdogEvery bounds how often `run` tells systemd it is alive: the loop
// may turn many times a second while feeds come due, and WatchdogSec is
// minutes, so one datagram every few seconds is plenty.
const watchdogEvery = 5 * time.Second

// serviceShutdown bounds how long the -listen server waits for requests in
// flight when `run` stops.
const serviceShutdown = 5 * time.Second

// service is what `run` adds around the pipeline: the worker's health, the
// -listen endpoints and the systemd notify protocol.
type service struct {
	events    pipeline.Events
	beat      func()
	claimDone func(error)
	close     func()
	notify    func(state string)
	metrics   *metrics.Metrics // nil without -listen
}

func (s *service) ready()    { s.notify("READY=1") }
func (s *service) stopping() { s.notify("STOPPING=1") }

// startService builds the service around st. The health hears the loop's
// beats, claims, polls and items; the systemd watchdog is fed only while
// it is healthy, so a worker that turns but cannot work is restarted
// after WatchdogSec like a wedged one. With -listen it serves /metrics,
// /healthz and the status page there.
func (e *env) startService(ctx context.Context, st store.Store, log *slog.Logger) (*service, error) {
	health := status.NewHealth(nil, 0)
	if sc, ok := st.(store.SpaceChecker); ok {
		health.WatchSpace(sc.CheckSpace)
	}
	s := &service{events: health, close: func() {}, notify: sdNotify, claimDone: health.ClaimDone}
	watchdog := rateLimited(watchdogEvery, time.Now, func() { s.notify("WATCHDOG=1") })
	var unhealthy string // the last problem logged, so each is logged once
	s.beat = func() {
		health.Beat()
		problem := health.Problem()
		if problem != "" && problem != unhealthy && !strings.HasPrefix(problem, "database: cannot claim") {
			// Claim outages have their own log lines (pipeline.outage).
			log.Warn("unhealthy; systemd watchdog not fed", "problem", problem)
		}
		unhealthy = problem
		if problem == "" {
			watchdog()
		}
	}
	if e.opts.listen == "" {
		return s, nil
	}
	m := metrics.New(metrics.Options{Feeds: st, Outbox: st, Version: e.build.Version})
	h := status.New(status.Config{Store: st, Metrics: m.Handler(), Version: e.build.Version, Logger: log, Health: health})
	ln, err := net.Listen("tcp", e.opts.listen)
	if err != nil {
		return nil, fmt.Errorf("-listen: %w", err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("status server stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	// The bound address, not the flag: with port 0 this is how one finds it.
	log.Info("serving metrics, health and status", "addr", ln.Addr().String())
	s.events = pipeline.MultiEvents{health, m}
	s.metrics = m
	s.claimDone = func(err error) {
		health.ClaimDone(err)
		m.ClaimDone(err)
	}
	s.close = func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serviceShutdown)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Warn("status server shutdown", "err", err)
			srv.Close()
		}
		<-served
	}
	return s, nil
}

// rateLimited returns fn wrapped so that it runs at most once per every.
func rateLimited(every time.Duration, now func() time.Time, fn func()) func() {
	var mu sync.Mutex
	var last time.Time
	return func() {
		mu.Lock()
		t := now()
		due := last.IsZero() || t.Sub(last) >= every
		if due {
			last = t
		}
		mu.Unlock()
		if due {
			fn()
		}
	}
}

// sdNotify speaks systemd's notify protocol (sd_notify(3)): one datagram to
// $NOTIFY_SOCKET. Without the variable it does nothing, so the same binary
// runs under cron, a terminal or Type=simple.
func sdNotify(state string) {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return
	}
	if addr[0] == '@' {
		addr = "\x00" + addr[1:] // abstract socket namespace
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return
	}
	defer conn.Close()
	conn.Write([]byte(state))
}
