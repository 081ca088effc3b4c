package pipeline

import (
	"context"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// Feed states are saved in batches: in the steady state almost every poll
// is a 304, and a database commit (WAL frames, lock, header) costs more than
// the one-row UPDATE it carries. Nothing waits on a saved state but the
// poll's own report (its slot is already free), so a save can wait a little
// for company.
const (
	// saveBatch bounds the states one transaction carries.
	saveBatch = 64
	// saveLinger is how long the first state of a batch waits for others.
	saveLinger = 2 * time.Millisecond
	// saveTimeout bounds one batch's write; it runs even during shutdown,
	// so that a finished poll is never forgotten.
	saveTimeout = 10 * time.Second
)

// stateSaver saves poll results for the polls of one PollDue, Backfill or
// Run, a batch at a time, on its own goroutine.
type stateSaver struct {
	store store.Store
	reqs  chan saveReq
	done  chan struct{}
}

type saveReq struct {
	res   store.PollResult
	reply chan error // buffered: the saver never waits for a poll
}

func newStateSaver(st store.Store) *stateSaver {
	s := &stateSaver{store: st, reqs: make(chan saveReq), done: make(chan struct{})}
	go s.run()
	return s
}

// save queues one result and returns once its batch is written.
func (s *stateSaver) save(res store.PollResult) error {
	r := saveReq{res: res, reply: make(chan error, 1)}
	s.reqs <- r
	return <-r.reply
}

// close waits for the queued saves; no save may start after it.
func (s *stateSaver) close() {
	close(s.reqs)
	<-s.done
}

func (s *stateSaver) run() {
	defer close(s.done)
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
		s.write(batch)
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
	for i, r := range batch {
		var err error
		if i < len(errs) {
			err = errs[i]
		}
		r.reply <- err
	}
}
