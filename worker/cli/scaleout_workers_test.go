package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
	"github.com/wiresift/wiresift/worker/store"
)

// scaleWorker is one `wiresift run` process. Its User-Agent names it, so
// the test server knows which worker made each request.
type scaleWorker struct {
	name   string
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	exited chan struct{} // closed once the process is gone
	err    error         // its exit status, set before exited closes
}

// scaleRun is how the workers of one test are started.
type scaleRun struct {
	bin, dsn, feeds string
	lease           time.Duration
	concurrency     int
}

// start launches a worker; it is killed at cleanup if the test left it running.
func (r scaleRun) start(t *testing.T, name string) *scaleWorker {
	t.Helper()
	cmd, _, stderr := crashtest.Command(r.bin, "run", "-db", r.dsn, "-feeds", r.feeds,
		"-allow-net", "127.0.0.1/32", "-host-gap", "-1ns", "-per-host", "64", "-concurrency", fmt.Sprint(r.concurrency),
		"-lease", r.lease.String(), "-min-interval", "1s", "-max-interval", "1m", "-grace", "15s",
		"-log-format", "json", "-user-agent", name)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start worker %s: %v", name, err)
	}
	w := &scaleWorker{name: name, cmd: cmd, stderr: stderr, exited: make(chan struct{})}
	reapAtCleanup(t, cmd, w.exited, func(err error) { w.err = err })
	return w
}

// stop sends SIGTERM and wants a clean exit within the grace period.
func (w *scaleWorker) stop(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM worker %s: %v", w.name, err)
	}
	select {
	case <-w.exited:
		if w.err != nil {
			t.Errorf("worker %s after SIGTERM: want exit 0, got %v\nstderr tail:\n%s", w.name, w.err, tail(w.stderr.String(), 2000))
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("worker %s: still running 30s after SIGTERM", w.name)
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (w *scaleWorker) kill(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("SIGKILL worker %s: %v", w.name, err)
	}
	<-w.exited
}

// alive fails the test if the worker has exited by itself.
func (w *scaleWorker) alive(t *testing.T) {
	t.Helper()
	select {
	case <-w.exited:
		t.Fatalf("worker %s exited by itself (%v)\nstderr tail:\n%s", w.name, w.err, tail(w.stderr.String(), 2000))
	default:
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// exportArchive reads the whole archive back through `wiresift export`.
func (r scaleRun) exportArchive(t *testing.T) []store.Article {
	t.Helper()
	cmd, out, errOut := crashtest.Command(r.bin, "export", "-db", r.dsn)
	if err := cmd.Run(); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut)
	}
	arts, err := crashtest.ReadExport(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

func writeScaleFeeds(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "feeds.txt")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// syndicationProblems checks an export against the corpus: every item URL
// in exactly one article's sources, nothing stored twice (crashtest), and
// each article's sources exactly the copies of one story, so that every
// syndicated story is one article with all its sources.
func syndicationProblems(arts []store.Article, s *syndServer) []string {
	problems := crashtest.ArchiveProblems(arts, s.itemURLs())
	want := s.corpus.copies(s.URL)
	for _, a := range arts {
		var got []string
		for _, src := range a.Sources {
			got = append(got, src.URL)
		}
		slices.Sort(got)
		if len(got) == 0 {
			problems = append(problems, fmt.Sprintf("article %d has no source", a.ID))
			continue
		}
		if w := want[got[0]]; !slices.Equal(got, w) {
			problems = append(problems, fmt.Sprintf("article %d: want sources %v, got %v", a.ID, w, got))
		}
	}
	syndicated, total := 0, 0
	seen := map[string]bool{}
	for _, urls := range want {
		key := strings.Join(urls, " ")
		if seen[key] {
			continue
		}
		seen[key] = true
		total++
		if len(urls) > 1 {
			syndicated++
		}
	}
	if len(arts) != total {
		problems = append(problems, fmt.Sprintf("want %d articles (one a story, %d of them syndicated), got %d", total, syndicated, len(arts)))
	}
	slices.Sort(problems)
	return problems
}
