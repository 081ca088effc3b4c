package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// searchArchive stores four articles through a backfill:
//   - /title: "telescope" in the headline only;
//   - /mention: "telescope" once, in passing, deep in a text as long;
//   - /telecom: a word sharing the prefix "tele";
//   - /phrase: "solar wind" as a phrase; /mention has both words apart.
func searchArchive(t *testing.T) workspace {
	t.Helper()
	body := func(seed uint64, insert ...string) string {
		s := prose(seed, 16)
		for i, extra := range insert {
			s[4+i*5] = extra
		}
		return paragraphs(s)
	}
	s := newSite(t)
	s.add("/feed.xml", "application/rss+xml", rss("Search desk",
		[2]string{"Telescope finds a new comet", "/title"},
		[2]string{"Council budget approved", "/mention"},
		[2]string{"Telecom workers strike", "/telecom"},
		[2]string{"Storm season begins", "/phrase"}))
	s.add("/title", "text/html; charset=utf-8", page("Telescope finds a new comet",
		"<article><h1>Telescope finds a new comet</h1>"+body(21)+"</article>"))
	s.add("/mention", "text/html; charset=utf-8", page("Council budget approved",
		"<article><h1>Council budget approved</h1>"+body(22,
			"The budget also funds a small telescope for the school, officials added in passing.",
			"Solar panels on the depot and a wind survey were approved as well.")+"</article>"))
	s.add("/telecom", "text/html; charset=utf-8", page("Telecom workers strike",
		"<article><h1>Telecom workers strike</h1>"+body(23)+"</article>"))
	s.add("/phrase", "text/html; charset=utf-8", page("Storm season begins",
		"<article><h1>Storm season begins</h1>"+body(24, "Forecasters warned that the solar wind would disturb radio links this week.")+"</article>"))
	w := newWorkspace(t, s.URL+"/feed.xml")
	w.mustRun(t, "backfill", "-log-level", "warn")
	if n := len(w.export(t)); n != 4 {
		t.Fatalf("setup: %d articles stored, want 4", n)
	}
	return w
}

// searchPaths runs a search and returns the paths of the hits, best first.
func searchPaths(t *testing.T, w workspace, query string) []string {
	t.Helper()
	out := w.mustRun(t, "search", "-format", "jsonl", query)
	var paths []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var h store.SearchHit
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatalf("search line is not a JSON hit: %v: %s", err, line)
		}
		paths = append(paths, h.URL[strings.LastIndex(h.URL, "/"):])
	}
	return paths
}

func TestSearchRanksAndParsesQueries(t *testing.T) {
	w := searchArchive(t)
	tests := []struct {
		name, query string
		want        []string // hit paths
		ordered     bool     // want is best first, not just the set
	}{
		{"title match ranks above a passing mention", "telescope", []string{"/title", "/mention"}, true},
		{"quoted phrase needs the words together", `"solar wind"`, []string{"/phrase"}, true},
		{"unquoted words match apart too", "solar wind", []string{"/mention", "/phrase"}, false},
		{"prefix", "tele*", []string{"/title", "/mention", "/telecom"}, false},
		{"no match", "glockenspiel", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := searchPaths(t, w, tc.query)
			if tc.ordered && strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("search %s: got %v, want %v in that order", tc.query, got, tc.want)
			}
			if !tc.ordered && !sameSet(got, tc.want) {
				t.Errorf("search %s: got %v, want %v in any order", tc.query, got, tc.want)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]int{}
	for _, s := range a {
		in[s]++
	}
	for _, s := range b {
		in[s]--
	}
	for _, n := range in {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestSearchTextShowsSnippetSourcesAndDate(t *testing.T) {
	w := searchArchive(t)
	out := w.mustRun(t, "search", "comet")
	for _, want := range []string{"1. Telescope finds a new comet", "/title", "1 source, first seen ", "[comet]"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if out := w.mustRun(t, "search", "glockenspiel"); strings.TrimSpace(out) != "no results" {
		t.Errorf("search with no hit printed %q, want \"no results\"", out)
	}
}

func TestSearchBadSyntaxIsAClearErrorNotACrash(t *testing.T) {
	w := searchArchive(t)
	for _, tt := range []struct{ query, why string }{
		{`"unclosed phrase`, "a quote is not closed"},
		{`AND`, `unexpected "AND"`},
		{`telescope NOT`, "it ends where more was expected"},
		{`(comet`, "it ends where more was expected"},
	} {
		query := tt.query
		t.Run(query, func(t *testing.T) {
			code, out, errOut := cliRun(t, w.args("search", query)...)
			if code != exitUsage || strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine ") {
				t.Fatalf("search %s: exit %d, stderr %q; want exit %d without a crash", query, code, errOut, exitUsage)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if !strings.Contains(lines[0], "bad search query") || !strings.Contains(lines[0], tt.why) || len(lines) != 2 {
				t.Errorf("search %s: stderr %q; want the error saying %q, then the -h hint", query, errOut, tt.why)
			}
			for _, internal := range []string{"store:", "sqlite:", "SQL logic error", "(1)"} {
				if strings.Contains(errOut, internal) {
					t.Errorf("search %s: stderr %q names an internal %q", query, errOut, internal)
				}
			}
			if out != "" {
				t.Errorf("search %s: stdout %q, want nothing", query, out)
			}
		})
	}
	if code, _, errOut := cliRun(t, w.args("search")...); code != exitUsage || !strings.Contains(errOut, "QUERY") {
		t.Errorf("search without a query: exit %d, stderr %q; want %d asking for a QUERY", code, errOut, exitUsage)
	}
}
