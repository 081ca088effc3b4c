package pipeline

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// twoAtOnce is a store.Poller whose first SaveFeedStates waits until a
// second one has started, and which records how many ran at once.
type twoAtOnce struct {
	store.Poller
	second  chan struct{}
	calls   atomic.Int32
	running atomic.Int32
	most    atomic.Int32
}

func (p *twoAtOnce) SaveFeedStates(ctx context.Context, rs []store.PollResult) []error {
	n := p.running.Add(1)
	defer p.running.Add(-1)
	for {
		m := p.most.Load()
		if n <= m || p.most.CompareAndSwap(m, n) {
			break
		}
	}
	switch p.calls.Add(1) {
	case 1:
		select {
		case <-p.second:
		case <-time.After(10 * time.Second):
		}
	case 2:
		close(p.second)
	}
	return make([]error, len(rs))
}

// TestSaverWritesTwoBatchesAtOnceAndCallsBackOneAtATime checks the state
// saver's contract: a batch whose commit waits does not hold up the next
// batch's write, at most savesInFlight are written at once, and every
// result's callback runs once, never two at the same time.
func TestSaverWritesTwoBatchesAtOnceAndCallsBackOneAtATime(t *testing.T) {
	st := &twoAtOnce{second: make(chan struct{})}
	s := newStateSaver(st)
	const n = 5 * saveBatch
	var called, inside atomic.Int32
	var overlapped atomic.Bool
	start := time.Now()
	for i := range n {
		s.saveThen(store.PollResult{FeedID: int64(i + 1)}, func(err error) {
			if inside.Add(1) > 1 {
				overlapped.Store(true)
			}
			called.Add(1)
			inside.Add(-1)
		})
	}
	s.close()
	if took := time.Since(start); took > 9*time.Second {
		t.Errorf("the saves took %v: the first batch's write waited for a second that never started alongside it", took)
	}
	if got := called.Load(); got != n {
		t.Errorf("%d callbacks for %d saves; want one each", got, n)
	}
	if overlapped.Load() {
		t.Error("two callbacks ran at the same time; want one at a time")
	}
	if most := st.most.Load(); most != savesInFlight {
		t.Errorf("at most %d batches written at once; want %d", most, savesInFlight)
	}
}
