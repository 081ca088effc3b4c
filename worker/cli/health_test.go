package cli

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunIsUnhealthyWhileTheDiskIsFull: `run -listen` on an archive whose
// disk fills up. The loop still turns and, on a full disk, SQLite still
// manages a write now and then, but /healthz answers 503 naming the full
// disk at every look for as long as the disk stays full, however often the
// worker tries to claim meanwhile, and the database error metric counts
// the refused writes; once space is freed, /healthz answers 200 by itself
// and the log says the database is back. It needs a tmpfs (root). Nothing
// hangs on timing: each phase waits for what the worker did (metrics, log),
// with generous deadlines for a loaded machine.
func TestRunIsUnhealthyWhileTheDiskIsFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); filling a disk needs one", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	s := newStorySite(t, 1, 2)
	w := workspace{dir: dir, db: filepath.Join(dir, "wiresift.db"), feeds: filepath.Join(dir, "feeds.txt")}
	writeFeeds(t, w.feeds, s.feeds)
	r := startRun(t, w, "-min-interval", "1s", "-max-interval", "2s")
	healthz := func() (int, string) { return r.get(t, "/healthz") }
	metric := func(name string, labels ...string) float64 {
		_, body := r.get(t, "/metrics")
		n, _ := sample(body, name, labels...)
		return n
	}
	last := func() string { _, b := healthz(); return b + "\n" + tail(r.stderr.String(), 3000) }
	const generous = 2 * time.Minute

	// The first beat alone makes the worker healthy: wait for a poll that
	// stored the stories, so that the full disk meets a worker in steady
	// state (later polls find nothing new to store).
	waitLong(t, generous, "the first poll to store the stories", func() bool {
		return metric("wiresift_last_successful_poll_timestamp_seconds") > 0
	}, last)
	waitLong(t, generous, "healthy after the first poll", func() bool { c, _ := healthz(); return c == 200 }, last)

	filler := filepath.Join(dir, "filler")
	fillDisk(t, filler, 0)
	full := func(body string) bool { return strings.Contains(body, "no space left") && strings.Contains(body, w.db) }
	// Every look while the disk is full must be a 503 naming it; watch
	// until the worker has tried its luck several times (polls started and
	// claims refused since the fill), at least one claim among them refused.
	tries := func() float64 {
		return metric("wiresift_feed_polls_total") + metric("wiresift_database_errors_total", `op="claim"`)
	}
	before := tries()
	looks := 0
	waitLong(t, generous, "several claims and polls on the full disk", func() bool {
		code, body := healthz()
		looks++
		if code != 503 || !full(body) {
			t.Fatalf("look %d at /healthz while the disk is full: %d %q, want 503 naming the full disk\nlog:\n%s",
				looks, code, body, tail(r.stderr.String(), 3000))
		}
		return tries()-before >= 4 && metric("wiresift_database_errors_total", `op="claim"`) > 0
	}, last)
	_, page := r.get(t, "/")
	if !full(page) {
		t.Errorf("status page does not show the full disk:\n%s", page)
	}
	if c, body := healthz(); c != 503 || !full(body) {
		t.Errorf("/healthz after the page: %d %q, want 503 naming the full disk", c, body)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	// Claims back off up to 30s after failures: a generous wait.
	waitLong(t, generous, "/healthz 200 again once space is freed", func() bool { c, _ := healthz(); return c == 200 }, last)
	if !strings.Contains(r.stderr.String(), "database reachable again") {
		t.Errorf("no log line saying the database is back:\n%s", tail(r.stderr.String(), 2000))
	}
	if !strings.Contains(r.stderr.String(), "database unavailable") {
		t.Errorf("no log line saying the database went away:\n%s", tail(r.stderr.String(), 2000))
	}
}

// waitLong is waitFor with a deadline of d.
func waitLong(t *testing.T, d time.Duration, what string, cond func() bool, last func() string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s\nlast seen:\n%s", d, what, last())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWatchdogIsFedOnlyWhileHealthy: the loop beats while every claim
// fails; systemd's watchdog hears nothing until a claim works again.
func TestWatchdogIsFedOnlyWhileHealthy(t *testing.T) {
	e := &env{opts: &options{}}
	svc, err := e.startService(context.Background(), nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	svc.notify = func(state string) { sent = append(sent, state) }
	svc.claimDone(errors.New("claim due feeds: disk I/O error"))
	for range 3 {
		svc.beat()
	}
	if len(sent) != 0 {
		t.Errorf("while claims fail: sent %v, want nothing", sent)
	}
	svc.claimDone(nil)
	svc.beat()
	if len(sent) != 1 || sent[0] != "WATCHDOG=1" {
		t.Errorf("after a claim worked: sent %v, want WATCHDOG=1", sent)
	}
}
