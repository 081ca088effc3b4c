package cli

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// binDir holds the wiresift binary that the subprocess tests run; it is
// built on first use and removed by TestMain.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// wiresiftBinary builds the command once per test binary: signals and two
// processes on one database need real processes.
func wiresiftBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binError = os.MkdirTemp("", "wiresift-bin")
		if binError != nil {
			return
		}
		binPath = filepath.Join(binDir, "wiresift")
		out, err := exec.Command("go", "build", "-o", binPath, "../..").CombinedOutput()
		if err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// process is a wiresift subprocess with its output captured.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	exited         chan struct{}
}

// startProcess starts the binary with args, in an environment without any
// WIRESIFT_* or NOTIFY_SOCKET variable of the developer's own.
func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	p := &process{stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(wiresiftBinary(t), args...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WIRESIFT_") && !strings.HasPrefix(kv, "NOTIFY_SOCKET=") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reapAtCleanup(t, p.cmd, p.exited, nil)
	return p
}

// reapAtCleanup waits for the started cmd in the background, hands its exit
// status to done (when not nil), then closes exited; at cleanup it kills cmd
// if the test left it running.
func reapAtCleanup(t *testing.T, cmd *exec.Cmd, exited chan struct{}, done func(error)) {
	go func() {
		err := cmd.Wait()
		if done != nil {
			done(err)
		}
		close(exited)
	}()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	})
}

// wait returns the exit code, failing the test if the process outlives the deadline.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("%v still running after 30s\nstderr:\n%s", p.cmd.Args, p.stderr.String())
		return -1
	}
}

func (p *process) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("send %v: %v", sig, err)
	}
}

// story is one generated article page: a title and paragraphs of text that
// share no phrase with any other story, so deduplication keeps them apart.
type story struct {
	path, title string
	paragraphs  []string
}

func newStory(path string, seed uint64) story {
	rng := rand.New(rand.NewPCG(seed, seed*7919+1))
	word := func() string {
		const consonants, vowels = "bcdfghklmnprstvz", "aeiou"
		n := 2 + rng.IntN(3)
		var b strings.Builder
		for range n {
			b.WriteByte(consonants[rng.IntN(len(consonants))])
			b.WriteByte(vowels[rng.IntN(len(vowels))])
		}
		return b.String()
	}
	sentence := func() string {
		words := make([]string, 10+rng.IntN(8))
		for i := range words {
			words[i] = word()
		}
		s := strings.Join(words, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	st := story{path: path, title: fmt.Sprintf("Report %d on %s %s", seed, word(), word())}
	for range 5 {
		st.paragraphs = append(st.paragraphs, sentence()+" "+sentence()+" "+sentence())
	}
	return st
}

func (s story) html() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html><html><head><title>%s</title></head><body>", s.title)
	b.WriteString(`<nav><a href="/">Home</a> <a href="/world">World</a></nav><article>`)
	fmt.Fprintf(&b, "<h1>%s</h1>", s.title)
	for _, p := range s.paragraphs {
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString(`</article><footer>Copyright the publisher</footer></body></html>`)
	return b.String()
}

// complete says whether stored text holds every paragraph of the story.
func (s story) complete(text string) bool {
	for _, p := range s.paragraphs {
		if !strings.Contains(collapse(text), collapse(p)) {
			return false
		}
	}
	return true
}

// storySite serves feeds of generated stories; hold, if set, runs before the
// first page answer (to keep a poll in flight).
type storySite struct {
	*site
	stories map[string]story // by page path
	feeds   []string         // feed URLs
}

func newStorySite(t *testing.T, feeds, perFeed int) *storySite {
	s := &storySite{site: newSite(t), stories: map[string]story{}}
	for f := range feeds {
		var items [][2]string
		for i := range perFeed {
			st := newStory(fmt.Sprintf("/f%d/story-%d.html", f, i), uint64(f*100+i+1))
			s.stories[st.path] = st
			s.add(st.path, "text/html; charset=utf-8", st.html())
			items = append(items, [2]string{st.title, st.path})
		}
		path := fmt.Sprintf("/f%d/rss.xml", f)
		s.add(path, "application/rss+xml; charset=utf-8", rss(fmt.Sprintf("Feed %d", f), items...))
		s.feeds = append(s.feeds, s.URL+path)
	}
	return s
}

// gate wraps the site's handler so that the first request whose path has
// the suffix waits until release is closed (or its client goes away);
// entered closes when it arrives.
func (s *storySite) gate(suffix string) (entered, release chan struct{}) {
	entered, release = make(chan struct{}), make(chan struct{})
	var once sync.Once
	inner := s.Config.Handler
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, suffix) {
			first := false
			once.Do(func() { first = true })
			if first {
				close(entered)
				// A test that fails early never releases; the killed
				// client's context frees the handler so Close can return.
				select {
				case <-release:
				case <-r.Context().Done():
					return
				}
			}
		}
		inner.ServeHTTP(w, r)
	})
	return entered, release
}

// checkArchive asserts every exported article is one whole story with its
// sources, and returns how many there are.
func (s *storySite) checkArchive(t *testing.T, w workspace) int {
	t.Helper()
	arts := w.export(t)
	seen := map[string]bool{}
	for _, a := range arts {
		st, ok := s.stories[strings.TrimPrefix(a.URL, s.URL)]
		switch {
		case !ok:
			t.Errorf("article %d has URL %s, which is no story of the site", a.ID, a.URL)
			continue
		case seen[st.path]:
			t.Errorf("story %s stored twice", st.path)
		case !st.complete(a.Text):
			t.Errorf("article %d (%s) is incomplete:\n got: %.300s\nwant paragraphs: %.300q", a.ID, st.path, a.Text, st.paragraphs)
		case len(a.Sources) != 1 || !strings.HasPrefix(a.Sources[0].FeedURL, s.URL):
			t.Errorf("article %d (%s) has sources %+v, want exactly its one feed sighting", a.ID, st.path, a.Sources)
		}
		seen[st.path] = true
	}
	return len(arts)
}

// integrityCheck asks SQLite to verify every page and index of the database.
func integrityCheck(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(context.Background(), "PRAGMA integrity_check").Scan(&res); err != nil {
		t.Fatal(err)
	}
	if res != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, want ok", res)
	}
}

func TestRunFinishesInFlightWorkOnSIGTERM(t *testing.T) {
	const feeds, perFeed = 3, 3
	s := newStorySite(t, feeds, perFeed)
	entered, release := s.gate(".html")
	w := newWorkspace(t, s.feeds...)

	// One feed at a time, so that SIGTERM lands with one feed's items in
	// flight and the other feeds not started.
	p := startProcess(t, w.args("run", "-concurrency", "1", "-grace", "20s")...)
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatalf("no article page was requested within 20s\n%s", p.stderr.String())
	}
	p.signal(t, syscall.SIGTERM)
	waitFor(t, "run to acknowledge SIGTERM", func() bool {
		return strings.Contains(p.stderr.String(), "stopping: finishing work in flight")
	}, p.stderr.String)
	close(release) // the page in flight answers only after the signal

	if code := p.wait(t); code != 0 {
		t.Fatalf("run exited %d after SIGTERM, want 0\n%s", code, p.stderr.String())
	}
	if strings.Contains(p.stderr.String(), `"level":"ERROR"`) {
		t.Errorf("run logged errors while stopping:\n%s", p.stderr.String())
	}
	integrityCheck(t, w.db)
	n := s.checkArchive(t, w)
	if n < 1 || n >= feeds*perFeed {
		t.Errorf("articles after SIGTERM mid-run = %d, want the in-flight ones (at least 1) and not all %d", n, feeds*perFeed)
	}

	// Nothing was half-written: a later pass stores exactly the rest.
	w.mustRun(t, "backfill")
	if n := s.checkArchive(t, w); n != feeds*perFeed {
		t.Errorf("articles after a later backfill = %d, want all %d, each once", n, feeds*perFeed)
	}
}

func TestRunReloadsFeedsFileOnSIGHUP(t *testing.T) {
	s := newStorySite(t, 2, 1)
	w := newWorkspace(t, s.feeds[0])
	p := startProcess(t, w.args("run")...)

	polled := func(feed string) func() bool {
		return func() bool {
			for _, line := range strings.Split(p.stderr.String(), "\n") {
				if strings.Contains(line, `"msg":"feed polled"`) && strings.Contains(line, `"feed":"`+feed+`"`) {
					return true
				}
			}
			return false
		}
	}
	waitFor(t, "the first feed polled", polled(s.feeds[0]), p.stderr.String)
	if err := os.WriteFile(w.feeds, []byte(s.feeds[0]+"\n"+s.feeds[1]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.signal(t, syscall.SIGHUP)
	waitFor(t, "the reload to be logged", func() bool {
		return strings.Contains(p.stderr.String(), "SIGHUP: reloading feed list")
	}, p.stderr.String)
	waitFor(t, "the added feed polled without a restart", polled(s.feeds[1]), p.stderr.String)

	p.signal(t, syscall.SIGTERM)
	if code := p.wait(t); code != 0 {
		t.Fatalf("run exited %d, want 0\n%s", code, p.stderr.String())
	}
	if strings.Count(p.stderr.String(), "wiresift running") != 1 {
		t.Errorf("run started more than once:\n%s", p.stderr.String())
	}
	if n := s.checkArchive(t, w); n != 2 {
		t.Errorf("articles = %d, want 2 (one from each feed)", n)
	}
}
