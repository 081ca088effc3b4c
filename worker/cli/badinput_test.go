package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
)

// TestFeedsFileBadLinesAreSkippedTheRestIngested: every kind of bad line is
// reported with its line number, and every good feed is still ingested whole.
func TestFeedsFileBadLinesAreSkippedTheRestIngested(t *testing.T) {
	c := crashtest.NewCorpus(11, 2, 6)
	srv := crashtest.Serve(t, c, 0)
	good := c.FeedURLs(srv.URL)
	lines := []string{
		"# a comment, then a blank line",
		"",
		good[0],                         // 3
		"not a url at all",              // 4
		"ftp://example.invalid/feed",    // 5
		good[1] + " interval=fortnight", // 6: bad option value
		"http://",                       // 7: no host
		"http://exa mple.invalid/feed",  // 8: space in host
		"https://ok.invalid/\x00feed",   // 9: NUL
		"https://ok.invalid/\xff\xfe",   // 10: not UTF-8
		good[1],                         // 11
		strings.Repeat("x", 70000),      // 12: longer than a scanner's default line
	}
	w := newWorkspace(t)
	if err := os.WriteFile(w.feeds, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cliRun(t, w.args("backfill")...)
	if code != 0 {
		t.Fatalf("backfill with bad lines in the feeds file: want exit 0, got %d\n%s\n%s", code, out, errOut)
	}
	for _, n := range []string{"4", "5", "6", "7", "8", "9", "10", "12"} {
		if !strings.Contains(errOut, "feeds.txt:"+n) {
			t.Errorf("bad line %s: want it reported as feeds.txt:%s, log:\n%.3000s", n, n, errOut)
		}
	}
	arts, err := crashtest.ReadExport(strings.NewReader(w.mustRun(t, "export")))
	if err != nil {
		t.Fatal(err)
	}
	var items []string
	for _, p := range c.ItemPaths() {
		items = append(items, srv.URL+p)
	}
	if problems := crashtest.ArchiveProblems(arts, items); len(problems) > 0 {
		t.Errorf("good feeds: want every item stored once, got:\n%s", strings.Join(problems, "\n"))
	}
}

// TestOPMLImportOfNonXMLChangesNothing: a file that is not OPML at all is
// refused with its name, a non-zero exit, and the feed list as it was.
func TestOPMLImportOfNonXMLChangesNothing(t *testing.T) {
	tests := []struct{ name, body string }{
		{"plain text", "https://a.invalid/feed\nhttps://b.invalid/feed\n"},
		{"JSON", `{"feeds": ["https://a.invalid/feed"]}`},
		{"truncated XML", `<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="https://a.invalid/feed"`},
		{"binary", "\x00\x01\x02\xff\xfe<opml"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorkspace(t, "https://kept.invalid/feed")
			w.mustRun(t, "feeds", "add", "https://also-kept.invalid/rss")
			before := w.mustRun(t, "feeds")
			feedsFile, err := os.ReadFile(w.feeds)
			if err != nil {
				t.Fatal(err)
			}
			bad := filepath.Join(w.dir, "subscriptions.opml")
			if err := os.WriteFile(bad, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}

			code, _, errOut := cliRun(t, w.args("opml", "import", bad)...)
			if code == 0 || !strings.Contains(errOut, bad) {
				t.Errorf("opml import of %s: want a non-zero exit and an error naming the file, got exit %d:\n%s", tt.name, code, errOut)
			}
			if after := w.mustRun(t, "feeds"); after != before {
				t.Errorf("feed list after a refused import: want\n%s\ngot\n%s", before, after)
			}
			if now, _ := os.ReadFile(w.feeds); !bytes.Equal(now, feedsFile) {
				t.Errorf("feeds file after a refused import: want\n%s\ngot\n%s", feedsFile, now)
			}
		})
	}
}

// TestNewerSchemaDatabaseIsRefusedUntouched: a database written by a newer
// wiresift is refused by every command that opens it, never downgraded.
func TestNewerSchemaDatabaseIsRefusedUntouched(t *testing.T) {
	c := crashtest.NewCorpus(13, 1, 3)
	srv := crashtest.Serve(t, c, 0)
	w := newWorkspace(t, c.FeedURLs(srv.URL)...)
	w.mustRun(t, "backfill")
	setUserVersion(t, w.db, 999)
	before, err := os.ReadFile(w.db)
	if err != nil {
		t.Fatal(err)
	}

	for _, cmd := range []string{"backfill", "poll", "export", "stats", "feeds"} {
		code, _, errOut := cliRun(t, w.args(cmd)...)
		if code != exitFatal || !strings.Contains(errOut, w.db) || !strings.Contains(errOut, "999") || !strings.Contains(errOut, "newer") {
			t.Errorf("%s on a version-999 database: want exit %d and an error naming the file, the version and 'newer', got exit %d:\n%s", cmd, exitFatal, code, errOut)
		}
	}
	after, err := os.ReadFile(w.db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("refused database: want the file byte-for-byte unchanged, %d bytes became %d", len(before), len(after))
	}
}

func setUserVersion(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		t.Fatal(err)
	}
	// A clean close folds the WAL into the file, so that the file alone is
	// the database the commands are refused.
	if _, err := db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
}

// TestFlagsOutOfRangeExitTwo: values that parse but make no sense are usage
// errors (exit 2) naming the flag, and nothing is created.
func TestFlagsOutOfRangeExitTwo(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"concurrency too high", []string{"poll", "-concurrency", "5000"}, "-concurrency"},
		{"concurrency negative", []string{"backfill", "-concurrency", "-3"}, "-concurrency"},
		{"per-host too high", []string{"poll", "-per-host", "1000"}, "-per-host"},
		{"negative timeout", []string{"poll", "-timeout", "-1s"}, "-timeout"},
		{"negative page size", []string{"backfill", "-max-page-size", "-5"}, "-max-page-size"},
		{"negative feed size", []string{"poll", "-max-feed-size", "-1"}, "-max-feed-size"},
		{"negative interval", []string{"run", "-min-interval", "-1m"}, "-min-interval"},
		{"negative limit", []string{"search", "-limit", "-1", "x"}, "-limit"},
		{"no history pages", []string{"backfill", "-max-pages", "0"}, "-max-pages"},
		{"integer overflow", []string{"poll", "-concurrency", "99999999999999999999"}, "-concurrency"},
		{"bad log level", []string{"poll", "-log-level", "loud"}, "-log-level"},
		{"bad log format", []string{"backfill", "-log-format", "yaml"}, "-log-format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorkspace(t)
			args := append([]string{tt.args[0], "-db", w.db}, tt.args[1:]...)
			code, _, errOut := cliRun(t, args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("wiresift %s: want exit %d naming %s, got exit %d:\n%s", strings.Join(tt.args, " "), exitUsage, tt.want, code, errOut)
			}
			if _, err := os.Stat(w.db); err == nil {
				t.Errorf("wiresift %s: want no database created by a usage error, found %s", strings.Join(tt.args, " "), w.db)
			}
		})
	}
}
