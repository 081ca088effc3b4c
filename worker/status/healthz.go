package status

import (
	"context"
	"fmt"
	"net/http"
)

// healthz answers 200 only while the worker makes progress (its loop
// turns, its claims, polls and writes succeed) and the database answers a
// query, so a supervisor sees a worker that cannot work, not only one that
// has stopped.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if problem := h.unhealthy(r.Context()); problem != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, problem)
		return
	}
	fmt.Fprintln(w, "ok")
}

// unhealthy says what is wrong, or "" when all is well: the worker must
// make progress (see Health) and the database must answer a query now.
func (h *Handler) unhealthy(ctx context.Context) string {
	if problem := h.cfg.Health.Problem(); problem != "" {
		return problem
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	if _, err := h.cfg.Store.NextDue(ctx); err != nil {
		h.cfg.Logger.Warn("healthz: database does not answer", "err", err)
		return "database: " + err.Error()
	}
	return ""
}
