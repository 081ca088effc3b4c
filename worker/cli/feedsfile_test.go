package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/feedlist"
	"github.com/wiresift/wiresift/worker/store"
)

// Every poll syncs the feeds file, but parses it only when its bytes (or
// the feeds) changed since the last sync: an unchanged file costs a hash.
// Edits, changes made beside the file, and bad lines still come through.
func TestPollParsesTheFeedsFileOnlyWhenItChanged(t *testing.T) {
	s := newSite(t)
	for _, p := range []string{"/a.xml", "/b.xml", "/c.xml"} {
		s.add(p, "application/rss+xml", rss("Feed "+p))
	}
	a, b, c := s.URL+"/a.xml", s.URL+"/b.xml", s.URL+"/c.xml"
	w := newWorkspace(t, a)
	write := func(lines ...string) {
		t.Helper()
		if err := os.WriteFile(w.feeds, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// poll runs `poll` and returns how many bad lines it logged.
	poll := func() int {
		t.Helper()
		code, out, errOut := cliRun(t, w.args("poll")...)
		if code != 0 {
			t.Fatalf("poll exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		return strings.Count(errOut, "bad line in feeds file")
	}
	type step struct {
		name   string
		do     func()
		bad    int                        // bad lines the poll logs
		states map[string]store.FeedState // every feed's state after it
	}
	steps := []step{
		{"first poll", func() {}, 0, map[string]store.FeedState{a: store.FeedActive}},
		{"the file as it was", func() {}, 0, map[string]store.FeedState{a: store.FeedActive}},
		{
			// A record that says the feeds are what this file makes them,
			// while they are not: a poll that trusts it shows that it did
			// not parse the file.
			"a record that the file made other feeds", func() { w.recordSyncedFrom(t, []store.FeedConfig{{URL: c}}) },
			0, map[string]store.FeedState{a: store.FeedDisabled, c: store.FeedActive},
		},
		{
			"the file edited, same length", func() { write(b) },
			0, map[string]store.FeedState{a: store.FeedDisabled, b: store.FeedActive, c: store.FeedDisabled},
		},
		{
			// The file stays as it is; the database alone changes, and the
			// next poll puts the file's feeds back.
			"a feed removed beside the file", func() { w.mustRunNoFile(t, "feeds", "rm", b) },
			0, map[string]store.FeedState{a: store.FeedDisabled, b: store.FeedActive, c: store.FeedDisabled},
		},
		{
			"a feed added with feeds add", func() { w.mustRun(t, "feeds", "add", a) },
			0, map[string]store.FeedState{a: store.FeedActive, b: store.FeedActive, c: store.FeedDisabled},
		},
		{
			"a bad line", func() { write(a, "ftp://files.example.com/feed.xml", c) },
			1, map[string]store.FeedState{a: store.FeedActive, b: store.FeedDisabled, c: store.FeedActive},
		},
		{"the bad line again", func() {}, 1, map[string]store.FeedState{a: store.FeedActive, b: store.FeedDisabled, c: store.FeedActive}},
	}
	for _, st := range steps {
		st.do()
		if bad := poll(); bad != st.bad {
			t.Errorf("%s: the poll logged %d bad lines, want %d", st.name, bad, st.bad)
		}
		if got := w.feedStates(t); !maps.Equal(got, st.states) {
			t.Errorf("%s: feeds %v after the poll, want %v", st.name, got, st.states)
		}
	}
}

// recordSyncedFrom records, as a sync of the feeds file as it is now would,
// that the feeds are list, and makes them so.
func (w workspace) recordSyncedFrom(t *testing.T, list []store.FeedConfig) {
	t.Helper()
	ctx := context.Background()
	e := &env{build: testBuild(t), opts: &options{db: w.db}}
	st, err := e.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	data, err := os.ReadFile(w.feeds)
	if err != nil {
		t.Fatal(err)
	}
	source, err := feedlist.SourceDigest(bytes.NewReader(data), e.build.Version)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.(store.SourceSyncer).SyncFeedsFrom(ctx, list, source); err != nil {
		t.Fatal(err)
	}
}

// mustRunNoFile runs cmd on the database alone (-feeds "").
func (w workspace) mustRunNoFile(t *testing.T, cmd string, more ...string) {
	t.Helper()
	args := append([]string{cmd, "-db", w.db, "-feeds", ""}, more...)
	if code, out, errOut := cliRun(t, args...); code != 0 {
		t.Fatalf("wiresift %v exited %d\nstdout:\n%s\nstderr:\n%s", args, code, out, errOut)
	}
}

// feedStates reads every feed's state from `feeds -format jsonl`.
func (w workspace) feedStates(t *testing.T) map[string]store.FeedState {
	t.Helper()
	states := map[string]store.FeedState{}
	for line := range strings.Lines(w.mustRun(t, "feeds", "-format", "jsonl")) {
		var row feedRow
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("feeds line is not JSON: %v\n%s", err, line)
		}
		states[row.URL] = store.FeedState(row.State)
	}
	return states
}
