package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/netguard"
)

func TestFeedLogLevel(t *testing.T) {
	for _, tc := range []struct {
		name string
		rep  FeedReport
		want slog.Level
	}{
		{"new items", FeedReport{Outcome: OutcomeOK, NewArticles: 2}, slog.LevelInfo},
		{"document with nothing new", FeedReport{Outcome: OutcomeOK}, slog.LevelInfo},
		{"not modified", FeedReport{Outcome: OutcomeNotModified, Status: 304}, slog.LevelDebug},
		{"same bytes again", FeedReport{Outcome: OutcomeUnchanged, Status: 200}, slog.LevelDebug},
		{"gone", FeedReport{Outcome: OutcomeGone, Err: errors.New("410")}, slog.LevelError},
		{"blocked", FeedReport{Outcome: OutcomeBlocked, Err: errors.New("challenge")}, slog.LevelError},
		{"not modified but its state was not saved", FeedReport{Outcome: OutcomeNotModified, Err: errors.New("disk full")}, slog.LevelError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := feedLogLevel(tc.rep); got != tc.want {
				t.Errorf("feedLogLevel(%+v) = %v, want %v", tc.rep, got, tc.want)
			}
		})
	}
}

// At the default level a pass logs the feeds that brought something and
// the ones that failed, not the idle ones.
func TestIdlePollsAreLoggedOnlyAtDebug(t *testing.T) {
	var base string
	var version atomic.Int32
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/idle", "/changed":
			if r.URL.Path == "/idle" && r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			if r.URL.Path == "/changed" {
				// A new story at every poll.
				fmt.Fprint(w, rssOf(base, fmt.Sprintf("%s/a/changed/%d", base, version.Add(1))))
				return
			}
			fmt.Fprint(w, rssOf(base, base+"/a/idle"))
		case "/broken":
			http.Error(w, "down", http.StatusInternalServerError)
		default:
			fmt.Fprintf(w, articleHTML, "Talks resume"+r.URL.Path, "The minister")
		}
	}))
	base = h.srv.URL
	idle, changed, broken := h.addFeed("/idle"), h.addFeed("/changed"), h.addFeed("/broken")
	h.poll()
	h.clock.Advance(48 * time.Hour)

	for _, tc := range []struct {
		level      slog.Level
		wantLogged []string
	}{
		{slog.LevelInfo, []string{changed, broken}},
		{slog.LevelDebug, []string{idle, changed, broken}},
	} {
		t.Run(tc.level.String(), func(t *testing.T) {
			var logs bytes.Buffer
			allow, err := netguard.ParseAllowlist(strings.TrimPrefix(h.srv.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			p := New(Config{
				Store: h.st, Fetcher: fetch.New(fetch.Config{Allow: allow, Timeout: 5 * time.Second, PerHostGap: -1}),
				Concurrency: 2, Now: h.clock.Now, Rand: rand.New(rand.NewPCG(1, 2)),
				Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: tc.level})),
			})
			h.clock.Advance(48 * time.Hour)
			if _, err := p.PollDue(t.Context(), nil); err != nil {
				t.Fatal(err)
			}
			for _, u := range []string{idle, changed, broken} {
				want := false
				for _, w := range tc.wantLogged {
					want = want || w == u
				}
				if got := strings.Contains(logs.String(), "feed="+u+" "); got != want {
					t.Errorf("at %v, feed %s logged: %v, want %v\n%s", tc.level, u, got, want, logs.String())
				}
			}
		})
	}
}
