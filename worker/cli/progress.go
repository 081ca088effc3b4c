package cli

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// progressEvery is how often a backfill off a terminal logs its progress.
const progressEvery = 10 * time.Second

// progress reports a backfill's advance as periodic log lines.
type progress struct {
	pipeline.NoEvents
	log   *slog.Logger
	start time.Time
	once  sync.Once
	done  chan struct{}

	mu            sync.Mutex
	feeds, items  int
	stored, dupes int
}

func (e *env) progressFor(ctx context.Context, st store.Store, log *slog.Logger) *progress {
	p := &progress{log: log, start: time.Now(), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) FeedDone(r pipeline.FeedReport) {
	p.mu.Lock()
	p.feeds++
	p.mu.Unlock()
}

func (p *progress) ItemDone(r pipeline.ItemReport) {
	p.mu.Lock()
	p.items++
	switch r.Reason {
	case "":
	case store.ReasonFirst:
		p.stored++
	default:
		p.dupes++
	}
	p.mu.Unlock()
}

func (p *progress) loop() {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			p.mu.Lock()
			rate := float64(p.items) / time.Since(p.start).Seconds()
			p.log.Info("backfill progress", "feeds_done", p.feeds, "items", p.items,
				"stored", p.stored, "duplicates", p.dupes, "items_per_s", int(rate))
			p.mu.Unlock()
		}
	}
}

func (p *progress) finish() { p.once.Do(func() { close(p.done) }) }
