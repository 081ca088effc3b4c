package main

import (
	"bufio"
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/cli"
)

// TestREADMEFirstRunShowsWhatItPrints runs the README's first run against
// this site and checks that every output the README pastes is what the
// commands print, so a change that alters it fails here until the README
// says so too. Dates and the database size are masked; the address of the
// test server is written back as the README's, and runs of spaces count as one.
func TestREADMEFirstRunShowsWhatItPrints(t *testing.T) {
	readme := readFile(t, filepath.Join("..", "..", "README.md"))
	build := cli.Build{Version: "test",
		SQLiteSchema:   readFile(t, filepath.Join("..", "..", "schema.sql")),
		PostgresSchema: readFile(t, filepath.Join("..", "..", "schema_postgres.sql"))}

	srv := httptest.NewUnstartedServer(nil)
	addr := srv.Listener.Addr().String()
	srv.Config.Handler = handler(addr)
	srv.Start()
	defer srv.Close()

	dir := t.TempDir()
	feeds := filepath.Join(dir, "feeds.txt")
	if err := os.WriteFile(feeds, []byte(strings.ReplaceAll(readFile(t, "feeds.txt"), base, addr)), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "demo.db")
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := cli.Main(context.Background(), build, args, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Fatalf("wiresift %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
		}
		return strings.ReplaceAll(out.String(), addr, base)
	}

	// The flags of the README's command, with JSON logs to keep stderr quiet.
	summary := run("backfill", "-db", db, "-feeds", feeds, "-allow-net", "127.0.0.1/32", "-concurrency", "1", "-log-format", "json")
	if !strings.Contains(readme, "\n"+summary) {
		t.Errorf("backfill printed %q; the README does not show that line", summary)
	}
	shown := shownOutputs(readme)
	for _, cmd := range []string{
		"./wiresift search -db demo.db harbour",
		"./wiresift stats -db demo.db",
		"./wiresift dupes -db demo.db 1",
		"./wiresift extract examples/localsite/site/daily/harbour-expansion.html",
	} {
		want, ok := shown[cmd]
		if !ok {
			t.Errorf("the README no longer shows `%s`; update this test with it", cmd)
			continue
		}
		args := strings.Fields(strings.TrimPrefix(cmd, "./wiresift "))
		for i, a := range args {
			switch {
			case a == "demo.db":
				args[i] = db
			case strings.HasPrefix(a, "examples/localsite/"):
				args[i] = strings.TrimPrefix(a, "examples/localsite/")
			}
		}
		if err := matches(want, run(args...)); err != "" {
			t.Errorf("`%s`: %s\nthe README shows:\n%s", cmd, err, strings.Join(want, "\n"))
		}
	}
	if again := run("backfill", "-db", db, "-feeds", feeds, "-allow-net", "127.0.0.1/32", "-concurrency", "1", "-log-format", "json"); !strings.Contains(again, ": 0 new articles") {
		t.Errorf("second backfill: the README says nothing is stored twice, got %q", again)
	}
}

// shownOutputs maps each "$ ./wiresift …" line in the README's code blocks to
// the lines shown after it, up to the next prompt or the end of the block.
func shownOutputs(readme string) map[string][]string {
	out := map[string][]string{}
	var cmd string
	sc := bufio.NewScanner(strings.NewReader(readme))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```"):
			cmd = ""
		case strings.HasPrefix(line, "$ "):
			cmd = strings.TrimPrefix(line, "$ ")
			out[cmd] = nil
		case cmd != "":
			out[cmd] = append(out[cmd], line)
		}
	}
	for cmd, lines := range out {
		for len(lines) > 0 && lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		out[cmd] = lines
	}
	return out
}

var (
	dates   = regexp.MustCompile(`\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?`)
	dbBytes = regexp.MustCompile(`(database bytes +)\d+`)
)

// matches says how got differs from the lines the README shows ("" when it
// does not). A shown line ending in "…" that the output does not end that
// way stands for the output line it begins; the README may stop early
// after such a line.
func matches(shown []string, got string) string {
	// Spaces are collapsed: the test server's port is longer than the
	// README's, which widens the table columns.
	mask := func(s string) string {
		s = dbBytes.ReplaceAllString(dates.ReplaceAllString(s, "DATE"), "${1}N")
		return strings.Join(strings.Fields(s), " ")
	}
	lines := strings.Split(strings.TrimRight(got, "\n"), "\n")
	for i, want := range shown {
		if i >= len(lines) {
			return "the output is shorter than the README shows"
		}
		w, g := mask(want), mask(lines[i])
		if cut, ok := strings.CutSuffix(w, "…"); ok && !strings.HasSuffix(g, "…") {
			if !strings.HasPrefix(g, cut) {
				return "line " + strconv.Itoa(i+1) + " is " + lines[i]
			}
			if i == len(shown)-1 {
				return ""
			}
			continue
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + " is " + lines[i]
		}
	}
	if len(lines) != len(shown) {
		return "the output has lines the README does not show:\n" + strings.Join(lines[len(shown):], "\n")
	}
	return ""
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
