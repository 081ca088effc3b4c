package cli

import (
	"strings"
	"testing"
)

func TestBrokenFeedsDoNotStopTheOthers(t *testing.T) {
	s, good := seedSites(t)
	s.add("/broken.xml", "application/rss+xml", `<rss version="2.0"><channel><title>half`)
	s.addStatus("/error.xml", 500, "internal error")
	broken := []string{s.URL + "/broken.xml", s.URL + "/error.xml", freeLoopbackURL(t)}
	w := newWorkspace(t, append(good, broken...)...)

	code, out, errOut := cliRun(t, w.args("poll")...)
	if code != 0 {
		t.Fatalf("poll exited %d, want 0 (per-feed failures are not fatal)\n%s", code, errOut)
	}
	if !strings.Contains(out, "3 errors") || !strings.Contains(out, "1 new article,") {
		t.Errorf("summary = %q, want 1 new article and 3 errors", out)
	}
	for _, u := range broken {
		if !strings.Contains(errOut, u) {
			t.Errorf("log does not name the broken feed %s:\n%s", u, errOut)
		}
	}
	if strings.Contains(errOut, `"500"`) || !strings.Contains(errOut, "500") {
		t.Errorf("log does not give the HTTP status 500:\n%s", errOut)
	}
	feeds := w.mustRun(t, "feeds")
	for _, u := range broken {
		if !strings.Contains(feeds, u) {
			t.Errorf("feeds table lacks %s", u)
		}
	}
	if arts := w.export(t); len(arts) != 1 {
		t.Errorf("articles = %d, want 1 from the good feeds", len(arts))
	}
}

func TestBadFeedsFileLinesAreReportedAndSkipped(t *testing.T) {
	_, good := seedSites(t)
	w := newWorkspace(t, good[0], "ftp://example.invalid/feed", good[1]+" colour=blue")
	code, _, errOut := cliRun(t, w.args("poll")...)
	if code != 0 {
		t.Fatalf("poll exited %d with bad lines in the feeds file\n%s", code, errOut)
	}
	for _, want := range []string{"feeds.txt:2", "feeds.txt:3"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("log lacks %q:\n%s", want, errOut)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "no command given"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown flag", []string{"poll", "-nope"}, "unknown flag -nope"},
		{"duration without unit", []string{"poll", "-timeout", "5"}, `-timeout "5": a duration needs a unit: 5s for seconds`},
		{"bad boolean", []string{"poll", "-keep-raw=maybe"}, `-keep-raw "maybe": want true or false`},
		{"bad number", []string{"search", "x", "-limit", "many"}, `-limit "many": want a whole number`},
		{"flag without value", []string{"stats", "-format"}, "-format needs a value"},
		{"too many search terms", []string{"search", strings.Repeat("word OR ", 300) + "end"}, "301 words; at most 200"},
		{"bad duration", []string{"run", "-min-interval", "soon"}, "min-interval"},
		{"bad allow-net", []string{"poll", "-allow-net", "10.0.0.0/99"}, "allow-net"},
		{"min above max", []string{"poll", "-min-interval", "2h", "-max-interval", "1h"}, "min-interval"},
		{"dupes without id", []string{"dupes"}, "article ID"},
		{"dupes bad id", []string{"dupes", "x1"}, "not a number"},
		{"bad format", []string{"stats", "-format", "xml"}, "format"},
		{"bad since", []string{"export", "-since", "yesterday"}, "since"},
		{"search without query", []string{"search"}, "QUERY"},
		{"flag after the query is parsed", []string{"search", "energy", "-limit", "many"}, "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if len(args) > 0 && args[0] != "frobnicate" {
				args = append([]string{args[0], "-db", t.TempDir() + "/x.db"}, args[1:]...)
			}
			code, _, errOut := cliRun(t, args...)
			if code != 2 {
				t.Errorf("exit = %d, want 2", code)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, errOut)
			}
			// Short: the error, then one line pointing to -h.
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != 2 || !strings.Contains(lines[1], "-h") {
				t.Errorf("stderr: want the error and one line pointing to -h, got %d lines:\n%s", len(lines), errOut)
			}
		})
	}
}

func TestEnvironmentSetsFlags(t *testing.T) {
	t.Setenv("WIRESIFT_MIN_INTERVAL", "forever")
	code, _, errOut := cliRun(t, "poll", "-db", t.TempDir()+"/x.db")
	if code != 2 || !strings.Contains(errOut, "WIRESIFT_MIN_INTERVAL") {
		t.Errorf("exit %d, stderr %q: want 2 naming WIRESIFT_MIN_INTERVAL", code, errOut)
	}
}

func TestMessagesSayWhatToDo(t *testing.T) {
	dir := t.TempDir()
	db := dir + "/x.db"
	// An archive with one feed, for the commands that need one.
	if code, _, errOut := cliRun(t, "feeds", "add", "https://example.com/feed", "-db", db, "-feeds", ""); code != 0 {
		t.Fatalf("feeds add: exit %d: %s", code, errOut)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		wantOut    string // on stdout
		wantErr    string // on stderr
		notInError []string
	}{
		{"help goes to stdout", []string{"-h"}, 0, "commands:", "", nil},
		{"command help goes to stdout", []string{"poll", "-h"}, 0, "-timeout", "", nil},
		{"flags before the command", []string{"-db", db, "poll"}, 2, "", "flags go after the command: wiresift poll -db " + db, nil},
		{"a lone flag", []string{"-db"}, 2, "", "flags go after the command", nil},
		{"feeds rm of an unknown URL", []string{"feeds", "rm", "https://nowhere.example/", "-db", db, "-feeds", ""}, 2, "",
			"no feed https://nowhere.example/ in the feed list", []string{"store:", "sqlite:", "not found"}},
		{"feeds enable of an unknown URL", []string{"feeds", "enable", "https://nowhere.example/", "-db", db}, 2, "",
			"no feed https://nowhere.example/ in the feed list", []string{"store:", "sqlite:"}},
		{"opml import of a missing file", []string{"opml", "import", dir + "/none.opml", "-db", db, "-feeds", ""}, 1, "",
			"open " + dir + "/none.opml: no such file", []string{"opml: opml:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cliRun(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, out)
			}
			if tt.wantErr == "" && errOut != "" {
				t.Errorf("stderr: want nothing, got %q", errOut)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, errOut)
			}
			for _, bad := range tt.notInError {
				if strings.Contains(errOut, bad) {
					t.Errorf("stderr %q contains %q", errOut, bad)
				}
			}
		})
	}
}

func TestHumanizeDropsPackageNamesAndDoubledPrefixes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"opml: opml: open x.opml: no such file or directory", "open x.opml: no such file or directory"},
		{"fetch: https://a.example/feed: fetch: timed out", "https://a.example/feed: timed out"},
		{"sqlite: /d/w.db: save feed state: store: database is read-only: attempt to write a readonly database (8)",
			"/d/w.db: save feed state: database is read-only: attempt to write a readonly database (8)"},
		{"plain message", "plain message"},
	}
	for _, tt := range tests {
		if got := humanize(tt.in); got != tt.want {
			t.Errorf("humanize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
