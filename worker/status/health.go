package status

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// PollFailLimit is how many feed polls in a row may fail, none succeeding
// in between, before the worker counts as unable to poll (the network or
// DNS is down, or every server refuses it).
const PollFailLimit = 20

// Health tells whether the worker makes progress, not merely whether its
// loop turns: a loop that retries a refused claim every few seconds is
// alive but does no work. It hears the loop's beats, every claim's outcome
// and every poll's and item's report (it is a pipeline.Events), and
// recovers by itself when the work does. Safe for concurrent use.
type Health struct {
	now        func() time.Time
	staleAfter time.Duration
	space      func() error // nil, or store.SpaceChecker's; set before sharing

	mu          sync.Mutex
	lastBeat    time.Time
	claim       fault // the last claims failed
	write       fault // the last items could not be stored
	pollStreak  int   // feed polls failed in a row
	lastPollOK  time.Time
	lastPollErr string
}

// fault is a kind of work failing since a moment, with its latest error.
type fault struct {
	since, last time.Time
	n           int
	err         string
	full        bool // the latest error is store.ErrStorageFull
}

func (f *fault) fail(now time.Time, err error) {
	if f.n == 0 {
		f.since = now
	}
	f.n++
	f.last = now
	f.err = err.Error()
	f.full = errors.Is(err, store.ErrStorageFull)
}

func (f fault) String() string {
	return fmt.Sprintf("failing since %s (%d in a row): %s", f.since.UTC().Format("15:04:05 UTC"), f.n, f.err)
}

// NewHealth returns a Health on the given clock (time.Now if nil); the
// loop is stale once it has not beaten for staleAfter
// (DefaultStaleAfter if zero).
func NewHealth(now func() time.Time, staleAfter time.Duration) *Health {
	if now == nil {
		now = time.Now
	}
	if staleAfter <= 0 {
		staleAfter = DefaultStaleAfter
	}
	return &Health{now: now, staleAfter: staleAfter}
}

// WatchSpace makes Problem ask check (a store.SpaceChecker's CheckSpace)
// every time: the work alone does not report a full disk steadily, since
// on one some writes still succeed and clear the faults the others
// reported. Once check passes again, a store failure for want of space no
// longer counts: its cause is gone, and the item is retried with its feed.
// Call WatchSpace before the Health is shared.
func (h *Health) WatchSpace(check func() error) {
	h.space = check
}

// Beat records a turn of the scheduler loop.
func (h *Health) Beat() {
	h.mu.Lock()
	h.lastBeat = h.now()
	h.mu.Unlock()
}

// ClaimDone records a claim's outcome; pass it as pipeline.Config.ClaimDone.
func (h *Health) ClaimDone(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		h.claim.fail(h.now(), err)
		return
	}
	h.claim = fault{}
}

// FeedDone implements pipeline.Events.
func (h *Health) FeedDone(r pipeline.FeedReport) {
	if errors.Is(r.Err, context.Canceled) {
		return // shutting down: not the feed's fault
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.Err != nil {
		h.pollStreak++
		h.lastPollErr = r.Err.Error()
		return
	}
	h.pollStreak = 0
	h.lastPollOK = h.now()
}

// ItemDone implements pipeline.Events. An item's error is a store error
// (a page that cannot be fetched falls back to the feed's text).
func (h *Health) ItemDone(r pipeline.ItemReport) {
	if errors.Is(r.Err, context.Canceled) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case r.Err != nil:
		h.write.fail(h.now(), r.Err)
	case r.Reason != "":
		h.write = fault{}
	}
}

// Problem says why the worker is unhealthy, or "" when it is healthy.
func (h *Health) Problem() string {
	var spaceErr error
	if h.space != nil {
		spaceErr = h.space() // outside the lock: it is a system call
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.lastBeat.IsZero():
		return "scheduler: not started"
	case h.now().Sub(h.lastBeat) > h.staleAfter:
		return fmt.Sprintf("scheduler: no loop turn for %s (limit %s)", h.now().Sub(h.lastBeat).Round(time.Second), h.staleAfter)
	case spaceErr != nil:
		return "database: " + spaceErr.Error()
	case h.claim.n > 0:
		return "database: cannot claim feeds, " + h.claim.String()
	case h.write.n > 0 && h.now().Sub(h.write.last) <= h.staleAfter && !(h.write.full && h.space != nil):
		// Items come only with new articles: a store failure that is not
		// repeated within staleAfter was a passing one, and no stored item
		// may come for hours to clear it. A full disk is the space check's
		// to report.
		return "database: cannot store items, " + h.write.String()
	case h.pollStreak >= PollFailLimit:
		return fmt.Sprintf("polls: the last %d feed polls all failed (latest: %s)", h.pollStreak, h.lastPollErr)
	}
	return ""
}
