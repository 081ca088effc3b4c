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
)

// TestRunIsUnhealthyWhileTheDiskIsFull: `run -listen` on an archive whose
// disk fills up. The loop still turns, but no claim can be written:
// /healthz answers 503 saying so and the database error metric counts;
// once space is freed, claims work again, the log says the database is
// back and /healthz answers 200 by itself. It needs a tmpfs (root).
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
	last := func() string { _, b := healthz(); return b + "\n" + tail(r.stderr.String(), 1500) }
	waitFor(t, "healthy after the first polls", func() bool { c, _ := healthz(); return c == 200 }, last)

	filler := filepath.Join(dir, "filler")
	fillDisk(t, filler, 0)
	waitFor(t, "/healthz 503 saying the database cannot claim or store", func() bool {
		c, b := healthz()
		return c == 503 && (strings.Contains(b, "cannot claim feeds") || strings.Contains(b, "cannot store items"))
	}, last)
	_, metrics := r.get(t, "/metrics")
	if n, _ := sample(metrics, "wiresift_database_errors_total"); n == 0 {
		t.Errorf("wiresift_database_errors_total is 0 while the disk is full")
	}
	_, page := r.get(t, "/")
	if !strings.Contains(page, "cannot claim feeds") && !strings.Contains(page, "cannot store items") {
		t.Errorf("status page does not show the problem")
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "/healthz 200 again once space is freed", func() bool { c, _ := healthz(); return c == 200 }, last)
	if !strings.Contains(r.stderr.String(), "database reachable again") {
		t.Errorf("no log line saying the database is back:\n%s", tail(r.stderr.String(), 2000))
	}
	if !strings.Contains(r.stderr.String(), "database unavailable") {
		t.Errorf("no log line saying the database went away:\n%s", tail(r.stderr.String(), 2000))
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
