package status

import (
	"context"
	"fmt"
	"net/http"
)

// healthz answers 200 only while the scheduler loop beat recently and the
// database answers a query, so a supervisor restarts a wedged process.
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

// unhealthy says what is wrong, or "" when all is well.
func (h *Handler) unhealthy(ctx context.Context) string {
	age, ok := h.beatAge()
	switch {
	case !ok:
		return "scheduler: not started"
	case age > h.cfg.StaleAfter:
		return fmt.Sprintf("scheduler: no loop turn for %s (limit %s)", age.Round(1e9), h.cfg.StaleAfter)
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	if _, err := h.cfg.Store.NextDue(ctx); err != nil {
		h.cfg.Logger.Warn("healthz: database does not answer", "err", err)
		return "database: " + err.Error()
	}
	return ""
}
