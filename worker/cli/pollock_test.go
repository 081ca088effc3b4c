package cli

import (
	"strings"
	"testing"
	"time"
)

func TestSecondPollSkipsWhileOneRuns(t *testing.T) {
	const perFeed = 3
	s := newStorySite(t, 1, perFeed)
	entered, release := s.gate("rss.xml")
	w := newWorkspace(t, s.feeds...)

	first := startProcess(t, w.args("poll")...)
	select {
	case <-entered: // the first poll holds the lock and waits on the feed
	case <-time.After(20 * time.Second):
		t.Fatalf("the first poll never requested the feed\n%s", first.stderr.String())
	}

	second := startProcess(t, w.args("poll")...)
	code := second.wait(t)
	close(release)
	if code != 0 {
		t.Errorf("second poll exited %d, want 0 (a skip is not a failure)\n%s", code, second.stderr.String())
	}
	if out := second.stdout.String(); !strings.Contains(out, "another wiresift poll or run is working on") {
		t.Errorf("second poll stdout = %q, want it to say it skipped because another poll runs", out)
	}
	if strings.Contains(second.stdout.String(), "polled") {
		t.Errorf("second poll did work: %q", second.stdout.String())
	}

	if code := first.wait(t); code != 0 {
		t.Fatalf("first poll exited %d, want 0\n%s", code, first.stderr.String())
	}
	if out := first.stdout.String(); !strings.Contains(out, "3 new articles") || !strings.Contains(out, "0 errors") {
		t.Errorf("first poll summary = %q, want 3 new articles and 0 errors", out)
	}
	for _, p := range []*process{first, second} {
		if strings.Contains(p.stderr.String(), `"level":"ERROR"`) {
			t.Errorf("%v logged errors:\n%s", p.cmd.Args, p.stderr.String())
		}
	}
	if n := s.checkArchive(t, w); n != perFeed {
		t.Errorf("articles = %d, want %d, each once", n, perFeed)
	}
	integrityCheck(t, w.db)
}

// Two polls started together, with no gate: whichever order they take the
// lock in, nothing is stored twice and nothing fails.
func TestConcurrentPollsNeverDoubleIngest(t *testing.T) {
	const perFeed = 4
	s := newStorySite(t, 2, perFeed)
	w := newWorkspace(t, s.feeds...)
	a := startProcess(t, w.args("poll")...)
	b := startProcess(t, w.args("poll")...)
	for _, p := range []*process{a, b} {
		if code := p.wait(t); code != 0 {
			t.Errorf("%v exited %d, want 0\n%s", p.cmd.Args, code, p.stderr.String())
		}
		if strings.Contains(p.stderr.String(), `"level":"ERROR"`) {
			t.Errorf("%v logged errors:\n%s", p.cmd.Args, p.stderr.String())
		}
	}
	if n := s.checkArchive(t, w); n != 2*perFeed {
		t.Errorf("articles = %d, want %d, each once\npoll 1: %s\npoll 2: %s", n, 2*perFeed, a.stdout.String(), b.stdout.String())
	}
}
