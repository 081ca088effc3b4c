// Package status serves wiresift's operator endpoints for `run -listen`:
// /metrics (handed in), /healthz and a small read-only status page.
package status

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// DefaultStaleAfter is how long the scheduler loop may go without a beat
// before /healthz fails. The loop turns at least once a minute even when idle
// (pipeline.Run), so three minutes means it is stuck, not merely waiting.
const DefaultStaleAfter = 3 * time.Minute

// Store is what the handler reads; store.Store has it.
type Store interface {
	Feeds(ctx context.Context) ([]store.Feed, error)
	NextDue(ctx context.Context) (time.Time, error)
	LatestArticles(ctx context.Context, limit int) ([]store.Article, error)
	TopSyndicated(ctx context.Context, limit int) ([]store.Article, error)
}

// Config configures New. Store is required.
type Config struct {
	Store   Store
	Metrics http.Handler // served at /metrics when set
	// Health is the worker's progress; New makes one when nil (fed by
	// Handler.Beat alone).
	Health  *Health
	Version string
	Logger  *slog.Logger

	StaleAfter time.Duration    // DefaultStaleAfter if zero
	Now        func() time.Time // time.Now if nil
	// Timeout bounds the database work behind one request (5s if zero).
	Timeout time.Duration
	// Limit is how many latest and most-syndicated articles the page lists (20 if zero).
	Limit int
}

// Handler serves /, /healthz and /metrics.
type Handler struct {
	cfg Config
	mux *http.ServeMux
}

// New builds the handler.
func New(cfg Config) *Handler {
	if cfg.StaleAfter <= 0 {
		cfg.StaleAfter = DefaultStaleAfter
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Limit <= 0 {
		cfg.Limit = 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Health == nil {
		cfg.Health = NewHealth(cfg.Now, cfg.StaleAfter)
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /healthz", h.healthz)
	h.mux.HandleFunc("GET /{$}", h.page)
	if cfg.Metrics != nil {
		h.mux.Handle("GET /metrics", cfg.Metrics)
	}
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Beat records that the scheduler loop is alive; pass it as pipeline.Config.Beat.
func (h *Handler) Beat() { h.cfg.Health.Beat() }
