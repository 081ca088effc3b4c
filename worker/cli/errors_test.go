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
	if !strings.Contains(out, "3 errors") || !strings.Contains(out, "1 new articles") {
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
		{"no command", nil, "usage"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown flag", []string{"poll", "-nope"}, "nope"},
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
