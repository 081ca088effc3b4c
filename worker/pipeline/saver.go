package pipeline

import (
	"context"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// Feed states are saved in batches: in the steady state almost every poll
// is a 304, and a database commit (WAL frames, lock, header) costs more than
// the one-row UPDATE it carries. Nothing waits on a saved state but the
// poll's own report (its slot is already free), so a save can wait a little
// for company.
const (
	// saveBatch bounds the states one transaction carries. A commit
	// rewrites every page of the due index it touched, so per state it
	// costs less the more states share it: batches of up to 256 (filling
	// in about 10 ms of a 304 pass) took a tenth off `wiresift poll`'s
	// CPU against batches of up to 64 (filling in 2 ms).
	saveBatch = 256
	// saveLinger is how long the first state of a batch waits for others.
	// A state not yet written when the process is killed is lost like any
	// unsaved poll: the feed is polled again once its lease expires.
	saveLinger = 10 * time.Millisecond
	// saveTimeout bounds one batch's write; it runs even during shutdown,
	// so that a finished poll is never forgotten.
	saveTimeout = 10 * time.Second
	// savesInFlight is how many batches are written at once. On PostgreSQL
	// a batch's commit waits on the server's WAL flush, and polls waited
	// for the one batch being written; on SQLite the group writer joins
	// the two into one transaction.
	savesInFlight = 2
)

// stateSaver saves poll results for the polls of one PollDue, Backfill or
// Run in batches, up to savesInFlight of them written at once.
type stateSaver struct {
	store  store.Poller
	reqs   chan saveReq
	done   chan struct{}
	slots  chan struct{}  // batches being written
	thenMu sync.Mutex     // callbacks run one at a time
	writes sync.WaitGroup // batches being written
}

type saveReq struct {
	res  store.PollResult
	then func(error) // runs on the saver's goroutine once res is written
}

func newStateSaver(st store.Poller) *stateSaver {
	// The queue holds two batches: polls go on while one is written, and
	// wait only when the database falls that far behind.
	s := &stateSaver{store: st, reqs: make(chan saveReq, 2*saveBatch), done: make(chan struct{}),
		slots: make(chan struct{}, savesInFlight)}
	go s.run()
	return s
}

// saveThen queues one result; then gets the outcome once its batch is
// written. then runs on a saver's goroutine, one at a time, and must not
// queue saves itself.
func (s *stateSaver) saveThen(res store.PollResult, then func(error)) {
	s.reqs <- saveReq{res: res, then: then}
}

// close waits for the queued saves and their callbacks; no save may be
// queued after it.
func (s *stateSaver) close() {
	close(s.reqs)
	<-s.done
}

func (s *stateSaver) run() {
	defer close(s.done)
	defer s.writes.Wait()
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	for first := range s.reqs {
		batch := []saveReq{first}
		linger.Reset(saveLinger)
		open := true
	collect:
		for open && len(batch) < saveBatch {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					open = false
					break collect
				}
				batch = append(batch, r)
			case <-linger.C:
				break collect
			}
		}
		linger.Stop()
		s.slots <- struct{}{}
		s.writes.Add(1)
		go func() {
			defer s.writes.Done()
			defer func() { <-s.slots }()
			s.write(batch)
		}()
		if !open {
			return
		}
	}
}

func (s *stateSaver) write(batch []saveReq) {
	results := make([]store.PollResult, len(batch))
	for i, r := range batch {
		results[i] = r.res
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	errs := s.store.SaveFeedStates(ctx, results)
	s.thenMu.Lock()
	defer s.thenMu.Unlock()
	for i, r := range batch {
		var err error
		if i < len(errs) {
			err = errs[i]
		}
		r.then(err)
	}
}
