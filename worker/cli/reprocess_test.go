package cli

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// prose is n sentences of words drawn at random for seed: texts from two
// seeds share no run of words, one seed always gives the same text.
func prose(seed uint64, n int) []string {
	words := strings.Fields(`the a of council harbour budget river station festival vaccine railway
		election drought court verdict orchestra glacier union strike tariff satellite museum bridge
		flood senator wildfire harvest reactor treaty refinery stadium lawsuit airline pension curfew
		ferry mayor volcano embassy theatre bakery census pipeline merger protest island quarry said
		officials on monday after weeks in which residents and engineers argued over costs delays`)
	r := rand.New(rand.NewPCG(seed, 11))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for w := 0; w < 12+r.IntN(6); w++ {
			if w > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		s := b.String()
		out[i] = strings.ToUpper(s[:1]) + s[1:] + "."
	}
	return out
}

// paragraphs renders sentences four to a <p>.
func paragraphs(sentences []string) string {
	var b strings.Builder
	for i := 0; i < len(sentences); i += 4 {
		b.WriteString("<p>" + strings.Join(sentences[i:min(i+4, len(sentences))], " ") + "</p>\n")
	}
	return b.String()
}

func page(title, body string) string {
	return fmt.Sprintf(`<!doctype html><html><head><title>%s</title></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
%s
<footer>Copyright Example Media</footer></body></html>`, title, body)
}

// Rules before and after a site's redesign. The old rule keeps .entry, where
// the story used to be; after the redesign .entry also marks the comments,
// and site B's story moved to .post-body. The new rules drop the comments and
// a promotion block, and let the generic extraction find the story.
const (
	oldRules = `{"127.0.0.1": {"keep": [".entry"]}}`
	newRules = `{"127.0.0.1": {"drop": ["#comments", ".c7"]}}`
)

// reprocessSites serves one wire story on two sites and a third story:
//   - /a: the story in .entry;
//   - /b: the same story in .post-body, and comments marked .entry, which is
//     all the old rule keeps, so the copy is missed;
//   - /c: another story in .entry with a promotion block inside it.
func reprocessSites(t *testing.T) []string {
	story := paragraphs(prose(1, 24))
	s := newSite(t)
	s.add("/a/feed.xml", "application/rss+xml", rss("Site A", [2]string{"Dam opens", "/a/dam"}))
	s.add("/a/dam", "text/html; charset=utf-8", page("Dam opens",
		`<article><h1>Dam opens</h1><div class="entry">`+story+`</div></article>`))
	s.add("/b/feed.xml", "application/rss+xml", rss("Site B", [2]string{"Dam opens", "/b/dam"}))
	var comments strings.Builder
	for i := range 12 {
		comments.WriteString(`<li class="entry">` + paragraphs(prose(uint64(100+i), 3)) + `</li>`)
	}
	s.add("/b/dam", "text/html; charset=utf-8", page("Dam opens",
		`<article><h1>Dam opens</h1><div class="post-body">`+story+`</div></article>`+
			`<ol id="comments">`+comments.String()+`</ol>`))
	s.add("/c/feed.xml", "application/rss+xml", rss("Site C", [2]string{"Ferry strike", "/c/ferry"}))
	s.add("/c/ferry", "text/html; charset=utf-8", page("Ferry strike",
		`<article><h1>Ferry strike</h1><div class="entry">`+paragraphs(prose(3, 16))+
			`<div class="c7">`+paragraphs(prose(4, 8))+`</div>`+paragraphs(prose(5, 8))+`</div></article>`))
	return []string{s.URL + "/a/feed.xml", s.URL + "/b/feed.xml", s.URL + "/c/feed.xml"}
}

// writeRules writes a rules file into the workspace.
func writeRules(t *testing.T, w workspace, name, rules string) string {
	t.Helper()
	path := filepath.Join(w.dir, name)
	if err := os.WriteFile(path, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReprocessAfterRuleChangeUpdatesTextsAndMergesMissedCopies(t *testing.T) {
	feeds := reprocessSites(t)
	w := newWorkspace(t, feeds...)
	w.mustRun(t, "backfill", "-rules", writeRules(t, w, "old.json", oldRules), "-log-level", "warn")
	before := w.export(t)
	if len(before) != 3 {
		t.Fatalf("setup: %d articles after backfill, want 3 (the old rule misses the copy on /b)", len(before))
	}
	promo := prose(4, 8)[0]
	var ferry string
	for _, a := range before {
		if strings.HasSuffix(a.URL, "/c/ferry") {
			ferry = a.Text
		}
	}
	if !strings.Contains(ferry, promo) {
		t.Fatalf("setup: the promotion block is not in the stored text of /c/ferry:\n%s", ferry)
	}

	rules := writeRules(t, w, "new.json", newRules)
	out := w.mustRun(t, "reprocess", "-rules", rules, "-log-level", "warn")
	if want := "reprocessed 3 pages: 2 texts changed, 1 articles merged as duplicates, 0 split, 0 failed"; strings.TrimSpace(out) != want {
		t.Errorf("reprocess said %q, want %q", strings.TrimSpace(out), want)
	}
	after := w.export(t)
	if len(after) != 2 {
		t.Fatalf("articles after reprocess: %d, want 2 (the copy merged)", len(after))
	}
	for _, a := range after {
		switch {
		case strings.HasSuffix(a.URL, "/a/dam"):
			if len(a.Sources) != 2 || !seenAt(a, "/a/dam") || !seenAt(a, "/b/dam") {
				t.Errorf("the story: want its sighting on /b merged in (2 sources), got %+v", a.Sources)
			}
		case strings.HasSuffix(a.URL, "/c/ferry"):
			if strings.Contains(a.Text, promo) || !strings.Contains(a.Text, prose(5, 8)[0]) {
				t.Errorf("/c/ferry after reprocess: want the promotion dropped and the rest kept, got:\n%s", a.Text)
			}
		default:
			t.Errorf("unexpected article %s after reprocess", a.URL)
		}
	}
	if hits := w.mustRun(t, "search", "-format", "jsonl", `"`+strings.TrimSuffix(promo, ".")+`"`); hits != "" {
		t.Errorf("search still finds the dropped promotion: %s", hits)
	}

	// A second pass finds nothing left to do.
	again := w.mustRun(t, "reprocess", "-rules", rules, "-log-level", "warn")
	if want := "reprocessed 2 pages: 0 texts changed, 0 articles merged as duplicates, 0 split, 0 failed"; strings.TrimSpace(again) != want {
		t.Errorf("second reprocess said %q, want %q", strings.TrimSpace(again), want)
	}
}

func TestReprocessFeedFlagLimitsThePass(t *testing.T) {
	feeds := reprocessSites(t)
	w := newWorkspace(t, feeds...)
	w.mustRun(t, "backfill", "-rules", writeRules(t, w, "old.json", oldRules), "-log-level", "warn")
	rules := writeRules(t, w, "new.json", newRules)
	out := w.mustRun(t, "reprocess", "-rules", rules, "-feed", feeds[2], "-log-level", "warn")
	if want := "reprocessed 1 pages: 1 texts changed, 0 articles merged as duplicates, 0 split, 0 failed"; strings.TrimSpace(out) != want {
		t.Errorf("reprocess -feed %s said %q, want %q", feeds[2], strings.TrimSpace(out), want)
	}
	if n := len(w.export(t)); n != 3 {
		t.Errorf("articles after reprocessing one feed: %d, want 3 (the copy on another feed untouched)", n)
	}
}

// seenAt reports whether one of a's sightings is at a URL ending in path.
func seenAt(a store.Article, path string) bool {
	for _, src := range a.Sources {
		if strings.HasSuffix(src.URL, path) {
			return true
		}
	}
	return false
}
