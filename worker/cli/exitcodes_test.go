package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// binRun runs the real binary to the end and returns its exit code and output.
func binRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	p := startProcess(t, args...)
	code := p.wait(t)
	return code, p.stdout.String(), p.stderr.String()
}

// outage makes every feed of the site answer 503 while down is true.
func outage(s *storySite) *atomic.Bool {
	var down atomic.Bool
	inner := s.Config.Handler
	s.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() && strings.HasSuffix(r.URL.Path, "rss.xml") {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		inner.ServeHTTP(w, r)
	})
	return &down
}

// TestExitCodesThroughTheBinary follows a cron job through an outage: every
// feed failing exits 3 naming them and the error; the next pass says why it
// polled nothing and how to poll now; -now polls; a recovered pass exits 0.
func TestExitCodesThroughTheBinary(t *testing.T) {
	s := newStorySite(t, 2, 2)
	down := outage(s)
	w := newWorkspace(t, s.feeds...)
	down.Store(true)

	code, out, errOut := binRun(t, w.args("poll")...)
	if code != exitAllFailed {
		t.Fatalf("poll with every feed down: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitAllFailed, out, errOut)
	}
	last := lastLine(errOut)
	for _, want := range []string{"every feed that was due failed (2 of 2)", s.feeds[0], s.feeds[1], "most common error (2 feeds)", "503"} {
		if !strings.Contains(last, want) {
			t.Errorf("all-failed message lacks %q:\n%s", want, last)
		}
	}
	if !strings.Contains(out, "polled 2 feeds (0 not modified): 0 new articles, 0 duplicates dropped, 2 errors") {
		t.Errorf("summary: %q", out)
	}

	code, out, errOut = binRun(t, w.args("poll")...)
	if code != exitOK {
		t.Fatalf("poll with nothing due: exit %d, want 0\n%s", code, errOut)
	}
	for _, want := range []string{"polled 0 feeds", "not polled: 2 not due yet (next at ", "2 backing off after errors", "to poll every feed now: wiresift poll -now"} {
		if !strings.Contains(out, want) {
			t.Errorf("nothing-due summary lacks %q:\n%s", want, out)
		}
	}

	down.Store(false)
	code, out, errOut = binRun(t, w.args("poll", "-now")...)
	if code != exitOK || !strings.Contains(out, "polled 2 feeds (0 not modified): 4 new articles") {
		t.Fatalf("poll -now after the outage: exit %d, stdout %q, want 0 and 4 new articles\n%s", code, out, errOut)
	}

	code, out, errOut = binRun(t, "poll", "-db", w.db, "-feeds", w.feeds, "-allow-net", "127.0.0.1/32", "-nope")
	if code != exitUsage || out != "" || len(strings.Split(strings.TrimSpace(errOut), "\n")) != 2 {
		t.Errorf("bad flag: exit %d, stdout %q, stderr %q; want 2, nothing, two lines", code, out, errOut)
	}
	if code, _, errOut := binRun(t, "search", "-db", w.db, `"unclosed`); code != exitUsage {
		t.Errorf("bad search syntax: exit %d, want %d (%s)", code, exitUsage, errOut)
	}
	if code, _, errOut := binRun(t, "-db", w.db, "stats"); code != exitUsage || !strings.Contains(errOut, "flags go after the command") {
		t.Errorf("flags before the command: exit %d, stderr %q", code, errOut)
	}

	// A backfill where every feed fails exits 3 too.
	down.Store(true)
	if code, _, errOut := binRun(t, w.args("backfill")...); code != exitAllFailed {
		t.Errorf("backfill with every feed down: exit %d, want %d\n%s", code, exitAllFailed, errOut)
	}
	// One feed failing out of two is normal: exit 0.
	down.Store(false)
	w2 := newWorkspace(t, s.feeds[0], s.URL+"/missing/rss.xml")
	if code, out, errOut := binRun(t, w2.args("poll")...); code != exitOK || !strings.Contains(out, "1 error") {
		t.Errorf("one feed of two failing: exit %d, stdout %q, want 0 and 1 error\n%s", code, out, errOut)
	}
}

// TestReadOnlyCommandsNeverCreateAnArchive: a mistyped -db is an error
// naming the path, and leaves no file behind.
func TestReadOnlyCommandsNeverCreateAnArchive(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{
		{"stats"}, {"export"}, {"search", "anything"}, {"feeds"}, {"feeds", "list"}, {"dupes", "1"},
		{"opml", "export"}, {"feeds", "rm", "https://example.com/feed"}, {"feeds", "enable", "https://example.com/feed"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := cliRun(t, append(args, "-db", db, "-feeds", "")...)
			if code != exitFatal || out != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing", code, out, exitFatal)
			}
			if !strings.Contains(errOut, "no archive at "+db) {
				t.Errorf("stderr %q: want it to say there is no archive at %s", errOut, db)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("the command left %d files in %s", len(entries), dir)
			}
		})
	}
}

// TestLeasesOfAKilledPollDoNotBlockTheNext: a poll SIGKILLed while it
// holds its feeds' leases; the poll holds the lock file, so its leases are
// in its memory alone, and the next poll polls every feed at once. (Leases
// stored by an older build are ended by the next poll:
// TestClaimAloneEndsEveryStoredLease.)
func TestLeasesOfAKilledPollDoNotBlockTheNext(t *testing.T) {
	const perFeed = 2
	s := newStorySite(t, 2, perFeed)
	entered, release := s.gate("rss.xml")
	defer close(release)
	w := newWorkspace(t, s.feeds...)
	first := startProcess(t, w.args("poll")...)
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatalf("the first poll never requested a feed\n%s", first.stderr.String())
	}
	first.signal(t, syscall.SIGKILL)
	first.wait(t)

	code, out, errOut := binRun(t, w.args("poll")...)
	if code != exitOK || !strings.Contains(out, "polled 2 feeds") {
		t.Fatalf("poll after a killed poll: exit %d, stdout %q; want 0 and both feeds polled\n%s", code, out, errOut)
	}
	if n := s.checkArchive(t, w); n != 2*perFeed {
		t.Errorf("articles = %d, want %d", n, 2*perFeed)
	}
}

// TestLockFileCreatedByRootBelongsToTheArchiveOwner: an admin command run
// as root leaves a lock file the service user can still take.
func TestLockFileCreatedByRootBelongsToTheArchiveOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a file for another user")
	}
	const serviceUID, serviceGID = 65534, 65534
	dir := t.TempDir()
	db := filepath.Join(dir, "wiresift.db")
	if err := os.WriteFile(db, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(db, serviceUID, serviceGID); err != nil {
		t.Fatal(err)
	}
	unlock, err := lockBeside(db)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	fi, err := os.Stat(db + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != serviceUID || st.Gid != serviceGID {
		t.Errorf("lock file owner %d:%d, want the archive's %d:%d", st.Uid, st.Gid, serviceUID, serviceGID)
	}
}

// TestLockFileWithoutWritePermissionStillLocks: flock needs no write
// permission, so a lock file another user owns still excludes.
func TestLockFileWithoutWritePermissionStillLocks(t *testing.T) {
	f, created, err := openLockFile(filepath.Join(t.TempDir(), "x.lock"))
	if err != nil || !created {
		t.Fatalf("openLockFile: created %v, err %v", created, err)
	}
	f.Close()
	name := f.Name()
	if err := os.Chmod(name, 0o444); err != nil {
		t.Fatal(err)
	}
	db := strings.TrimSuffix(name, ".lock")
	unlock, err := lockBeside(db)
	if err != nil {
		t.Fatalf("lock on a read-only lock file: %v", err)
	}
	defer unlock()
	if _, err := lockBeside(db); err == nil || !strings.Contains(err.Error(), errLocked.Error()) {
		t.Errorf("second lock: want %v, got %v", errLocked, err)
	}
}

// TestRefusedPrivateAddressSaysHowToAllowIt: a feed on a loopback address
// polled without -allow-net fails; the log, the exit message and the feed
// list say which flag allows it, without package names, and durations in
// the JSON log read as durations.
func TestRefusedPrivateAddressSaysHowToAllowIt(t *testing.T) {
	s := newStorySite(t, 1, 1)
	w := newWorkspace(t, s.feeds...)
	code, _, errOut := cliRun(t, "poll", "-db", w.db, "-feeds", w.feeds, "-log-format", "json")
	if code != exitAllFailed {
		t.Fatalf("exit %d, want %d\n%s", code, exitAllFailed, errOut)
	}
	if !strings.Contains(lastLine(errOut), "add -allow-net 127.0.0.1") {
		t.Errorf("exit message lacks the -allow-net hint:\n%s", lastLine(errOut))
	}
	errField, ok := logField(errOut, "feed poll failed", "err")
	if !ok || !strings.Contains(errField, "-allow-net 127.0.0.1") || strings.Contains(errField, "netguard:") || strings.Contains(errField, "fetch:") {
		t.Errorf("log err field %q: want the -allow-net hint and no package names", errField)
	}
	if took, ok := logField(errOut, "feed poll failed", "took"); !ok || !strings.HasSuffix(took, "s") {
		t.Errorf("log took field %q: want a duration such as 12ms", took)
	}
	_, list, _ := cliRun(t, "feeds", "-db", w.db)
	if !strings.Contains(list, "-allow-net") || strings.Contains(list, "netguard:") {
		t.Errorf("feeds list: want the last error with the -allow-net hint and no package name:\n%s", list)
	}
}
