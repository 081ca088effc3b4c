package pipeline

import (
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// mode is how one pass polls its feeds, built once when the pass starts
// (scheduledMode, backfillMode): what it honours, what it follows and which
// items it skips. The poll code asks it these questions instead of asking
// which command is running.
type mode struct {
	saves *stateSaver

	// leases: the feeds were claimed under a lease. One that waited past its
	// lease is left to the next claim, and a poll's state is saved only while
	// the feed still carries the lease it was claimed with.
	leases bool
	// validators: send the stored ETag and Last-Modified, and take a body
	// identical to the last one parsed as unchanged.
	validators bool
	// history, when set, is how far back each feed's older pages are
	// followed after its current document; nil reads the current one only.
	history *History

	// Items published before the cutoff are skipped (see cutoff).
	maxAge time.Duration // -first-poll-max-age; 0: off
	// ageOnLaterPolls: after a feed's first poll, keep skipping items older
	// than maxAge before its previous poll.
	ageOnLaterPolls bool
	since           time.Time // -since; zero: no limit

	// fault, when set, hears every item's store error: a one-shot pass
	// stops at once on one that will repeat (see faultStop).
	fault func(error)
}

// scheduledMode is a poll or run pass: claimed feeds, conditional requests,
// the current document only.
func (p *Pipeline) scheduledMode(saves *stateSaver) mode {
	return mode{saves: saves, leases: true, validators: true,
		maxAge: p.cfg.FirstPollMaxAge, ageOnLaterPolls: true}
}

// backfillMode is a backfill: every feed whatever its lease, full requests,
// and the history within h.
func (p *Pipeline) backfillMode(saves *stateSaver, h History) mode {
	return mode{saves: saves, history: &h, maxAge: p.cfg.FirstPollMaxAge, since: h.Since}
}

// cutoff is the publication time before which f's items are skipped at now
// (zero: none), the later of -since and -first-poll-max-age. The max age
// counts from now on a feed's first poll. The back catalogue it skipped then
// is still in the feed on the next polls, where nothing marks it seen, so
// scheduled polls keep skipping items older than the max age before the
// previous poll; a backfill asks for history and does not.
func (m mode) cutoff(f store.Feed, now time.Time) time.Time {
	var cutoff time.Time
	switch {
	case m.maxAge <= 0:
	case f.LastPollAt.IsZero():
		cutoff = now.Add(-m.maxAge)
	case m.ageOnLaterPolls:
		cutoff = f.LastPollAt.Add(-m.maxAge)
	}
	if m.since.After(cutoff) {
		cutoff = m.since
	}
	return cutoff
}
