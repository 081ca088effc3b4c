package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// progressEvery is how often a backfill off a terminal logs its progress.
const progressEvery = 10 * time.Second

// progress reports a backfill's advance: a bar on a terminal, periodic log
// lines otherwise (a bar's carriage returns make a mess of a log file).
type progress struct {
	log        *slog.Logger
	start      time.Time
	feedsTotal int                      // feeds the backfill will poll; 0 when unknown
	bar        *progressbar.ProgressBar // nil when logging
	once       sync.Once
	done       chan struct{}

	mu            sync.Mutex
	feeds, items  int
	stored, dupes int
}

// progressFor picks the display -progress asks for (auto: a bar when stderr
// is a terminal) and starts it.
func (e *env) progressFor(ctx context.Context, st store.Store, log *slog.Logger) *progress {
	p := &progress{log: log, start: time.Now(), done: make(chan struct{})}
	p.feedsTotal = backfillTotal(ctx, st, e.opts.feed)
	if e.progressMode(log) == "bar" {
		w := e.stderr
		if s, ok := w.(*sharedTerminal); ok {
			w = s.barWriter()
		}
		p.bar = newBar(w, p.feedsTotal)
		return p
	}
	go p.loop()
	return p
}

// progressMode resolves -progress to "bar" or "log"; log, if not nil,
// hears about a value it does not know.
func (e *env) progressMode(log *slog.Logger) string {
	switch e.opts.progress {
	case "bar", "log":
		return e.opts.progress
	case "auto", "":
	default:
		if log != nil {
			log.Warn("unknown -progress value, using auto; want bar, log or auto", "progress", e.opts.progress)
		}
	}
	w := e.stderr
	if s, ok := w.(*sharedTerminal); ok {
		w = s.w
	}
	if isTerminal(w) {
		return "bar"
	}
	return "log"
}

// backfillTotal counts the feeds a backfill will poll, as Backfill picks
// them; 0 (unknown) if the store cannot say.
func backfillTotal(ctx context.Context, st store.Store, only string) int {
	feeds, err := st.Feeds(ctx)
	if err != nil {
		return 0
	}
	n := 0
	for _, f := range feeds {
		if f.State == store.FeedGone || f.State == store.FeedDisabled {
			continue
		}
		if only == "" || f.URL == only {
			n++
		}
	}
	return n
}

// newBar draws feeds done out of total with rate and ETA; articles go in
// the description. An unknown total (-1) makes progressbar show a spinner.
func newBar(w io.Writer, total int) *progressbar.ProgressBar {
	if total <= 0 {
		total = -1
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("backfill"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("feeds"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(30),
		// Drawn at once, so the rate counts from the start, not the first feed.
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
}

// FeedDone implements pipeline.Events.
func (p *progress) FeedDone(r pipeline.FeedReport) {
	p.mu.Lock()
	p.feeds++
	p.mu.Unlock()
	if p.bar != nil {
		p.bar.Add(1)
	}
}

// ItemDone implements pipeline.Events.
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
	desc := p.articlesLocked()
	p.mu.Unlock()
	if p.bar != nil {
		p.bar.Describe(desc)
	}
}

// articlesLocked describes the article counts; p.mu must be held.
func (p *progress) articlesLocked() string {
	rate := float64(p.items) / max(time.Since(p.start).Seconds(), 1e-3)
	return fmt.Sprintf("%d articles new, %d duplicates (%.1f items/s)", p.stored, p.dupes, rate)
}

func (p *progress) loop() {
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			p.logLine()
		}
	}
}

// logLine is one periodic progress line, with an ETA once feeds are done
// and the total is known.
func (p *progress) logLine() {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := time.Since(p.start)
	attrs := []any{"feeds_done", p.feeds, "feeds_total", p.feedsTotal, "items", p.items,
		"stored", p.stored, "duplicates", p.dupes,
		"items_per_s", int(float64(p.items) / max(elapsed.Seconds(), 1e-3))}
	if p.feeds > 0 && p.feedsTotal > p.feeds {
		eta := time.Duration(float64(elapsed) / float64(p.feeds) * float64(p.feedsTotal-p.feeds))
		attrs = append(attrs, "eta", eta.Round(time.Second).String())
	}
	p.log.Info("backfill progress", attrs...)
}

// finish stops the display; cmdBackfill calls it before printing its summary.
func (p *progress) finish() {
	p.once.Do(func() {
		close(p.done)
		if p.bar == nil {
			return
		}
		p.mu.Lock()
		complete := p.feedsTotal > 0 && p.feeds >= p.feedsTotal
		p.mu.Unlock()
		if complete {
			p.bar.Finish()
			return
		}
		// Stopped early (or total unknown): keep the bar where it is
		// rather than fill it.
		p.bar.Exit() // ends the line through OptionOnCompletion
	})
}

// sharedTerminal lets log lines and the progress bar share one terminal:
// the bar redraws its line in place with carriage returns, so a log line
// written in between would start mid-bar. Both go through one lock, and a
// log line first erases the bar's line; the bar redraws on its next update.
type sharedTerminal struct {
	mu    sync.Mutex
	w     io.Writer
	barOn bool // the bar's line is on screen
}

// shareTerminal wraps stderr for a backfill that will draw a bar, so that a
// logger built on the result does not garble it; otherwise it returns
// stderr unchanged.
func (e *env) shareTerminal() io.Writer {
	if _, ok := e.stderr.(*sharedTerminal); ok || e.progressMode(nil) != "bar" {
		return e.stderr
	}
	return &sharedTerminal{w: e.stderr}
}

// backfillLogger is e.logger for backfill: when a bar will be drawn, the log
// shares the terminal with it, and -log-format auto still means text there.
func (e *env) backfillLogger() (*slog.Logger, error) {
	shared := e.shareTerminal()
	if shared == e.stderr {
		return e.logger()
	}
	if e.opts.logFormat == "auto" && isTerminal(e.stderr) {
		e.opts.logFormat = "text"
	}
	e.stderr = shared
	return e.logger()
}

// Write is a log line: erase the bar's line, then write.
func (s *sharedTerminal) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.barOn {
		io.WriteString(s.w, "\r\x1b[K")
		s.barOn = false
	}
	return s.w.Write(p)
}

// barWriter is what the bar draws through.
func (s *sharedTerminal) barWriter() io.Writer { return barWriter{s} }

type barWriter struct{ s *sharedTerminal }

func (b barWriter) Write(p []byte) (int, error) {
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	b.s.barOn = true
	return b.s.w.Write(p)
}
