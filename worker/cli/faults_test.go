package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
)

// faultArchive is a database in dir filled by one backfill of the first
// site of a small corpus; its feeds file then lists a second site too, so
// that the next backfill has new articles to write.
type faultArchive struct {
	w      workspace
	before string // export after the first backfill
}

func newFaultArchive(t *testing.T, dir string) faultArchive {
	t.Helper()
	c := crashtest.NewCorpus(7, 2, 8)
	srv := crashtest.Serve(t, c, 0)
	urls := c.FeedURLs(srv.URL)
	w := workspace{dir: dir, db: filepath.Join(dir, "wiresift.db"), feeds: filepath.Join(dir, "feeds.txt")}
	writeFeeds(t, w.feeds, urls[:1])
	w.mustRun(t, "backfill")
	a := faultArchive{w: w, before: w.mustRun(t, "export")}
	if a.before == "" {
		t.Fatal("first backfill stored nothing")
	}
	writeFeeds(t, w.feeds, urls)
	return a
}

func writeFeeds(t *testing.T, path string, urls []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(urls, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// failedBackfill runs a backfill that must stop: non-zero exit and an error
// naming the database file and saying why (want, in lower case).
func (a faultArchive) failedBackfill(t *testing.T, want string) {
	t.Helper()
	code, out, errOut := cliRun(t, a.w.args("backfill")...)
	if code == 0 {
		t.Fatalf("backfill: want a non-zero exit, got 0\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
	// The reason is looked for outside the path, which holds the test's name.
	reason := strings.ToLower(strings.ReplaceAll(errOut, a.w.dir, ""))
	if !strings.Contains(errOut, a.w.db) || !strings.Contains(reason, want) {
		t.Errorf("backfill error: want it to name %s and say %q, got:\n%s", a.w.db, want, errOut)
	}
	t.Logf("backfill exited %d: %s", code, lastLine(errOut))
}

// intact checks the archive after the fault is gone: a sound file holding
// what it held before, and a backfill that now finishes the work.
func (a faultArchive) intact(t *testing.T) {
	t.Helper()
	if verdict, err := crashtest.IntegrityCheck(context.Background(), a.w.db); err != nil || verdict != "ok" {
		t.Errorf("integrity_check: want ok, got %q (err %v)", verdict, err)
	}
	if got := a.w.mustRun(t, "export"); got != a.before {
		t.Errorf("export after the fault: want the earlier archive unchanged\nwant:\n%s\ngot:\n%s", a.before, got)
	}
	a.w.mustRun(t, "backfill")
	after, err := crashtest.ReadExport(strings.NewReader(a.w.mustRun(t, "export")))
	if err != nil {
		t.Fatal(err)
	}
	earlier, _ := crashtest.ReadExport(strings.NewReader(a.before))
	if len(after) <= len(earlier) {
		t.Errorf("backfill once the fault is gone: want more than %d articles, got %d", len(earlier), len(after))
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestBackfillIntoReadOnlyDatabaseStopsAndKeepsIt: a database that may not
// be written is read, never changed, and the backfill exits non-zero.
// chmod alone does not stop root from writing, but wiresift honours the
// permission bits for everyone; the immutable attribute stops root too,
// where the file system has it.
func TestBackfillIntoReadOnlyDatabaseStopsAndKeepsIt(t *testing.T) {
	tests := []struct {
		name    string
		protect func(t *testing.T, dir, db string) (undo func() error)
	}{
		{"mode 0444 on file and directory", func(t *testing.T, dir, db string) func() error {
			if err := os.Chmod(db, 0o444); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, 0o555); err != nil {
				t.Fatal(err)
			}
			return func() error {
				return errors.Join(os.Chmod(dir, 0o755), os.Chmod(db, 0o644))
			}
		}},
		{"immutable attribute", func(t *testing.T, dir, db string) func() error {
			out, err := exec.Command("chattr", "+i", db).CombinedOutput()
			if err != nil {
				t.Skipf("chattr +i is not available here (%v: %s); the mode 0444 case covers read-only files", err, bytes.TrimSpace(out))
			}
			return func() error { return exec.Command("chattr", "-i", db).Run() }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a := newFaultArchive(t, dir)
			sum := fileSum(t, a.w.db)
			undo := tc.protect(t, dir, a.w.db)
			t.Cleanup(func() { undo() })

			a.failedBackfill(t, "read-only")
			if got := a.w.mustRun(t, "export"); got != a.before {
				t.Errorf("export of the read-only database: want the archive as before\nwant:\n%s\ngot:\n%s", a.before, got)
			}
			if err := undo(); err != nil {
				t.Fatalf("lift the protection: %v", err)
			}
			if fileSum(t, a.w.db) != sum {
				t.Errorf("read-only database file: want it byte-for-byte unchanged, it changed")
			}
			a.intact(t)
		})
	}
}

// lockHolderEnv names the database that TestFaultHelperHoldsWriteLock
// locks when the test binary runs itself as that helper process.
const lockHolderEnv = "CRASHTEST_HOLD_LOCK"

// TestFaultHelperHoldsWriteLock is not a test: it is the other process of
// TestBackfillOnLockedDatabase, holding an exclusive write transaction on
// the database until its standard input closes.
func TestFaultHelperHoldsWriteLock(t *testing.T) {
	path := os.Getenv(lockHolderEnv)
	if path == "" {
		t.Skip("helper process for TestBackfillOnLockedDatabase")
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("locked\n")
	io.Copy(io.Discard, os.Stdin)
	conn.ExecContext(context.Background(), "ROLLBACK")
}

// TestBackfillOnLockedDatabase: another process holds the write lock for
// longer than the busy timeout (10 s); the backfill gives up with an error
// naming the file, and the archive is untouched.
func TestBackfillOnLockedDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the 10 s busy timeout")
	}
	a := newFaultArchive(t, t.TempDir())

	holder := exec.Command(os.Args[0], "-test.run=^TestFaultHelperHoldsWriteLock$")
	holder.Env = append(os.Environ(), lockHolderEnv+"="+a.w.db)
	release, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	ready, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var holderErr bytes.Buffer
	holder.Stderr = &holderErr
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { holder.Process.Signal(syscall.SIGKILL); holder.Wait() })
	if line, err := bufio.NewReader(ready).ReadString('\n'); line != "locked\n" {
		t.Fatalf("lock holder: want \"locked\", got %q (%v)\n%s", line, err, &holderErr)
	}

	a.failedBackfill(t, "locked")
	release.Close()
	if err := holder.Wait(); err != nil {
		t.Fatalf("lock holder: %v\n%s", err, &holderErr)
	}
	a.intact(t)
}

// TestBackfillOnFullDisk: the database's file system fills up mid-run; the
// backfill stops with an error naming the file, and once space is freed
// the archive is sound and whole. It needs a small tmpfs, which only root
// may mount.
func TestBackfillOnFullDisk(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a 2 MB tmpfs (%v: %s); a full disk needs one", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	a := newFaultArchive(t, dir)

	filler := filepath.Join(dir, "filler")
	fillDisk(t, filler, fullDiskSlack)
	a.failedBackfill(t, "full")
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	a.intact(t)
}

// fullDiskSlack is the room left on the full disk: enough to open the
// database and begin, too little for the new articles, so that the disk
// fills up in the middle of the run.
const fullDiskSlack = 96 << 10

// fillDisk writes path until the file system is full, then gives slack
// bytes back.
func fillDisk(t *testing.T, path string, slack int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill the disk: %v", err)
			}
			info, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(max(0, info.Size()-slack)); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
}

// TestDiskFullMidRunStopsFetchingAtOnce: the disk under the archive fills
// up while a backfill is fetching a feed of 30 stories. The run stops at the
// first refused write, fetches no more pages, exits 1 naming the file, and
// the archive keeps what it had.
func TestDiskFullMidRunStopsFetchingAtOnce(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); filling a disk needs one", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	const perFeed = 30
	s := newStorySite(t, 2, perFeed)
	w := workspace{dir: dir, db: filepath.Join(dir, "wiresift.db"), feeds: filepath.Join(dir, "feeds.txt")}
	writeFeeds(t, w.feeds, s.feeds[:1])
	w.mustRun(t, "backfill") // an archive with the first feed's stories
	before := w.mustRun(t, "export")
	writeFeeds(t, w.feeds, s.feeds)

	entered, release := s.gate("/f1/story-0.html")
	var pagesAfter atomic.Int32
	var faulted atomic.Bool
	inner := s.Config.Handler
	s.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if faulted.Load() && strings.HasSuffix(r.URL.Path, ".html") {
			pagesAfter.Add(1)
		}
		inner.ServeHTTP(rw, r)
	})
	p := startProcess(t, w.args("backfill", "-concurrency", "2")...)
	select {
	case <-entered:
	case <-time.After(20 * time.Second):
		t.Fatalf("the backfill never fetched a page\n%s", p.stderr.String())
	}
	filler := filepath.Join(dir, "filler")
	fillDisk(t, filler, 0)
	faulted.Store(true)
	close(release)
	code := p.wait(t)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	errOut := p.stderr.String()
	if code != exitFatal || !strings.Contains(lastLine(errOut), w.db) {
		t.Fatalf("backfill: exit %d, want %d with an error naming %s\n%s", code, exitFatal, w.db, lastLine(errOut))
	}
	t.Logf("backfill exited %d: %s", code, lastLine(errOut))
	// -concurrency 2 allows two pages in flight when the write fails.
	if n := pagesAfter.Load(); n > 3 {
		t.Errorf("pages fetched after the disk filled up: %d of %d, want at most 3", n, perFeed)
	}
	// What was committed before the fault stays; nothing is half-written.
	after := w.mustRun(t, "export")
	for _, line := range strings.Split(strings.TrimSpace(before), "\n") {
		if !strings.Contains(after, line) {
			t.Errorf("an article stored before the fault is gone or changed: %.200s", line)
		}
	}
	if n := s.checkArchive(t, w); n < perFeed || n >= 2*perFeed {
		t.Errorf("articles after the fault: %d, want the first feed's %d and fewer than all %d", n, perFeed, 2*perFeed)
	}
	integrityCheck(t, w.db)
}
