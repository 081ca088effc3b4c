package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedBoilerplate is every line of the seed page that is not the article
// (../shared/seed/README.md).
var seedBoilerplate = []string{
	"Connect with us",
	"International Circuit",
	"Click to comment",
	"You must be logged in to post a comment",
	"Leave a Reply",
	"Copyright © 2024 Communications Today",
	"error: Content is protected !!",
}

// seedExpected reads the expected title and body from ../shared/seed when it
// is there, else from the copy in testdata.
func seedExpected(t *testing.T) (title, body string) {
	t.Helper()
	dir := "../../../shared/seed"
	if _, err := os.Stat(dir); err != nil {
		dir = "testdata/seed"
	}
	tb, err := os.ReadFile(filepath.Join(dir, "expected-title.txt"))
	if err != nil {
		t.Fatal(err)
	}
	bb, err := os.ReadFile(filepath.Join(dir, "expected-body.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(tb)), string(bb)
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// seedSites serves the seed story on two sites with two templates, each
// listed by its own feed.
func seedSites(t *testing.T) (*site, []string) {
	s := newSite(t)
	s.add("/comms/feed/", "application/rss+xml; charset=utf-8",
		rss("Communications Today", [2]string{"US efforts on Huawei executive case", "/international-circuit/us-efforts-on-huawei-executive-case/"}))
	s.add("/international-circuit/us-efforts-on-huawei-executive-case/", "text/html; charset=utf-8", readFixture(t, "seed-wordpress.html"))
	s.add("/wire/rss.xml", "application/rss+xml; charset=utf-8",
		rss("Daily Wire Desk", [2]string{"Huawei case may save Canada's China policy", "/world/2020/12/04/huawei-canada-china-policy.html"}))
	s.add("/world/2020/12/04/huawei-canada-china-policy.html", "text/html; charset=utf-8", readFixture(t, "seed-other.html"))
	return s, []string{s.URL + "/comms/feed/", s.URL + "/wire/rss.xml"}
}

func TestSeedStoryStoredOnceWithEverySighting(t *testing.T) {
	wantTitle, wantBody := seedExpected(t)
	s, feeds := seedSites(t)
	w := newWorkspace(t, feeds...)

	w.mustRun(t, "backfill")
	arts := w.export(t)
	if len(arts) != 1 {
		t.Fatalf("articles after backfill = %d, want 1 (the same story on two sites)", len(arts))
	}
	a := arts[0]
	if len(a.Sources) != 2 {
		t.Fatalf("sources = %d, want 2: %+v", len(a.Sources), a.Sources)
	}
	if got, want := collapse(a.Text), collapse(wantBody); got != want {
		t.Errorf("stored text differs from expected-body.txt\n got: %.300s…\nwant: %.300s…", got, want)
	}
	if a.Title != wantTitle {
		t.Errorf("title = %q, want %q", a.Title, wantTitle)
	}
	seen := map[string]bool{}
	for _, src := range a.Sources {
		seen[strings.TrimPrefix(src.URL, s.URL)] = true
	}
	for _, p := range []string{"/international-circuit/us-efforts-on-huawei-executive-case/", "/world/2020/12/04/huawei-canada-china-policy.html"} {
		if !seen[p] {
			t.Errorf("no source for %s in %+v", p, a.Sources)
		}
	}
	all := w.mustRun(t, "export")
	for _, line := range seedBoilerplate {
		if strings.Contains(all, line) {
			t.Errorf("boilerplate %q reached storage", line)
		}
	}
}

// Without kept raw pages, no byte of the database may hold the boilerplate.
func TestSeedBoilerplateNowhereInDatabase(t *testing.T) {
	_, feeds := seedSites(t)
	w := newWorkspace(t, feeds...)
	w.mustRun(t, "backfill", "-keep-raw=false")
	w.mustRun(t, "stats") // a second open checkpoints the WAL into the file
	var db []byte
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(w.db + suffix)
		if err == nil {
			db = append(db, b...)
		}
	}
	if len(db) == 0 {
		t.Fatal("database file is empty")
	}
	for _, line := range seedBoilerplate {
		if bytes.Contains(db, []byte(line)) {
			t.Errorf("boilerplate %q found in the database file", line)
		}
	}
}

func TestRepeatedRunsStoreNothingNew(t *testing.T) {
	_, feeds := seedSites(t)
	w := newWorkspace(t, feeds...)
	if out := w.mustRun(t, "poll"); !strings.Contains(out, "polled 2 feeds") || !strings.Contains(out, "1 new article,") {
		t.Fatalf("first poll summary = %q, want 2 feeds polled and 1 new article", out)
	}
	first := w.mustRun(t, "export")
	w.mustRun(t, "backfill")
	w.mustRun(t, "backfill")
	if again := w.mustRun(t, "export"); again != first {
		t.Errorf("export changed after two more backfills\nbefore:\n%.500s\nafter:\n%.500s", first, again)
	}
}
