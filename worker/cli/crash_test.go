package cli

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/store"
)

// crashSeed fixes where the kills land; a failure names it so that the
// same sequence can be replayed.
const crashSeed = 20261127

// crashKills is how many SIGKILLs must land while a backfill is running.
const crashKills = 20

// TestBackfillSurvivesSIGKILL kills `wiresift backfill` at random moments,
// restarts it each time, lets a last run finish, and checks that the
// archive is sound, complete and the same as one clean run makes: every
// item URL in exactly one article's sources, no text cut short, nothing
// stored twice.
func TestBackfillSurvivesSIGKILL(t *testing.T) {
	bin := crashtest.Binary(t)
	corpus := crashtest.NewCorpus(crashSeed, 6, 220)
	srv := crashtest.Serve(t, corpus, 15*time.Millisecond)
	feeds := filepath.Join(t.TempDir(), "feeds.txt")
	if err := os.WriteFile(feeds, []byte(strings.Join(corpus.FeedURLs(srv.URL), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var items []string
	for _, p := range corpus.ItemPaths() {
		items = append(items, srv.URL+p)
	}
	h := crashHarness{bin: bin, feeds: feeds, corpus: corpus, base: srv.URL, items: items}

	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashed := filepath.Join(dir, "crashed.db")
		h.check = func(t *testing.T, when string) {
			verdict, err := crashtest.IntegrityCheck(context.Background(), crashed)
			if err != nil || verdict != "ok" {
				t.Fatalf("integrity_check %s: want ok, got %q (err %v)", when, verdict, err)
			}
			n, err := crashtest.Sources(context.Background(), crashed)
			if err != nil {
				t.Fatal(err)
			}
			h.progress = append(h.progress, n)
		}
		h.run(t, filepath.Join(dir, "clean.db"), crashed)
		t.Logf("sources stored at each kill: %v of %d", h.progress, len(items))
	})
	t.Run("postgres", func(t *testing.T) {
		clean, crashed := pgtest.DSN(t), pgtest.DSN(t)
		h.check = nil
		h.run(t, clean, crashed)
	})
}

// crashHarness runs the kill-and-restart sequence against one database.
type crashHarness struct {
	bin, feeds, base string
	corpus           *crashtest.Corpus
	items            []string
	check            func(t *testing.T, when string) // database-specific soundness check
	progress         []int                           // sources stored at each kill, where known
}

func (h crashHarness) backfill(db string) *exec.Cmd {
	cmd, _, _ := crashtest.Command(h.bin, "backfill", "-db", db, "-feeds", h.feeds,
		"-allow-net", "127.0.0.1/32", "-host-gap", "-1ns", "-log-format", "json", "-progress", "log")
	return cmd
}

func (h crashHarness) run(t *testing.T, cleanDB, crashedDB string) {
	start := time.Now()
	h.complete(t, cleanDB)
	cleanRun := time.Since(start)
	want := h.export(t, cleanDB)
	if problems := crashtest.ArchiveProblems(want, h.items); len(problems) > 0 {
		t.Fatalf("clean run: want a sound archive, got %d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	copies := 0
	for _, a := range want {
		if len(a.Sources) > 1 {
			copies++
		}
	}
	if copies == 0 {
		t.Fatalf("clean run: want syndicated copies folded into one article, got %d articles with one source each", len(want))
	}

	rng := rand.New(rand.NewPCG(crashSeed, 1))
	// Kills are drawn over a tenth of a clean run at first, so that about
	// ten of them land while pages are being stored; once a run ends by
	// itself before its kill, later kills are drawn over that run's length.
	window := max(cleanRun/5, 50*time.Millisecond)
	kills, finished := 0, 0
	for attempt := 0; kills < crashKills; attempt++ {
		if attempt > 3*crashKills {
			t.Fatalf("only %d of %d kills landed in %d runs: the runs end too fast to be killed", kills, crashKills, attempt)
		}
		delay := 5*time.Millisecond + time.Duration(rng.Int64N(int64(window)))
		cmd := h.backfill(crashedDB)
		killed, took, err := runOrKill(t, cmd, delay)
		if !killed {
			if err != nil {
				t.Fatalf("run %d (seed %d) ended by itself with %v\nstderr:\n%s", attempt, crashSeed, err, cmd.Stderr)
			}
			finished++
			window = max(took, 10*time.Millisecond)
			continue
		}
		kills++
		if h.check != nil {
			h.check(t, "after kill "+delay.String()+" into run")
		}
	}
	h.complete(t, crashedDB)
	t.Logf("seed %d: clean run %v; %d kills, %d runs that finished first", crashSeed, cleanRun.Round(time.Millisecond), kills, finished)
	if h.check != nil {
		h.check(t, "after the completing run")
	}

	got := h.export(t, crashedDB)
	if problems := crashtest.ArchiveProblems(got, h.items); len(problems) > 0 {
		t.Errorf("after %d kills: want a sound archive, got %d problems:\n%s", kills, len(problems), strings.Join(problems, "\n"))
	}
	if cut := crashtest.Incomplete(h.corpus, h.base, got); len(cut) > 0 {
		t.Errorf("after %d kills: want every text complete, got:\n%s", kills, strings.Join(cut, "\n"))
	}
	if diffs := crashtest.DiffGroups(crashtest.Groups(want), crashtest.Groups(got)); len(diffs) > 0 {
		t.Errorf("after %d kills: want the archive a clean run makes, got %d differences:\n%s", kills, len(diffs), strings.Join(diffs, "\n"))
	}
}

// complete runs one backfill to its end.
func (h crashHarness) complete(t *testing.T, db string) {
	t.Helper()
	cmd := h.backfill(db)
	if err := cmd.Run(); err != nil {
		t.Fatalf("backfill on %s: want exit 0, got %v\nstderr:\n%s", db, err, cmd.Stderr)
	}
}

func (h crashHarness) export(t *testing.T, db string) []store.Article {
	t.Helper()
	return exportArchive(t, h.bin, db)
}

// exportArchive reads db's archive through `wiresift export`.
func exportArchive(t *testing.T, bin, db string) []store.Article {
	t.Helper()
	cmd, out, errOut := crashtest.Command(bin, "export", "-db", db)
	if err := cmd.Run(); err != nil {
		t.Fatalf("export %s: %v\n%s", db, err, errOut)
	}
	arts, err := crashtest.ReadExport(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// runOrKill starts cmd and sends it SIGKILL after delay unless it ends by
// itself first. It reports whether the kill landed; when it did not, err is
// how the run ended and took how long it ran.
func runOrKill(t *testing.T, cmd *exec.Cmd, delay time.Duration) (killed bool, took time.Duration, err error) {
	t.Helper()
	began := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return false, time.Since(began), err
	case <-time.After(delay):
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Fatalf("kill: %v", err)
		}
		<-done
		return true, 0, nil
	}
}
