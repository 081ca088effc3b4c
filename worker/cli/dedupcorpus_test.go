package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/dedupeval"
	"github.com/wiresift/wiresift/worker/store"
)

const dedupCorpus = "../../../shared/corpus/dedup-dev"

// serveDedupCorpus serves the corpus as its README says: pages as UTF-8 HTML,
// feeds with their baked-in base URL replaced by the server's.
func serveDedupCorpus(t *testing.T, dir string) *httptest.Server {
	files := http.FileServer(http.Dir(dir))
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/feeds/") {
			b, err := os.ReadFile(filepath.Join(dir, "feeds", path.Base(r.URL.Path)))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			w.Write(bytes.ReplaceAll(b, []byte("http://127.0.0.1:8765"), []byte(srv.URL)))
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestDedupCorpusEndToEnd runs the whole worker (fetch, extract, dedup,
// store) over the dedup development corpus and scores what it stored.
//
//	go test ./worker/cli -run TestDedupCorpusEndToEnd -v
func TestDedupCorpusEndToEnd(t *testing.T) {
	if _, err := os.Stat(dedupCorpus); err != nil {
		t.Skip("dedup corpus not present:", err)
	}
	srv := serveDedupCorpus(t, dedupCorpus)
	var feeds []string
	for i := 1; i <= 8; i++ {
		feeds = append(feeds, fmt.Sprintf("%s/feeds/feed%02d.xml", srv.URL, i))
	}
	w := newWorkspace(t, feeds...)
	w.mustRun(t, "backfill", "-keep-raw=false", "-log-level", "warn")

	// One row a sighting; the article's id is its cluster, and its first
	// source (the stored page) comes first.
	var rows []dedupeval.Row
	replaced, upgraded := 0, 0
	for _, a := range w.export(t) {
		current, before := 0, replaced
		for _, s := range a.Sources {
			switch s.TextRole {
			case store.TextCurrent:
				current++
			case store.TextReplaced:
				replaced++
			}
			rows = append(rows, dedupeval.Row{URL: s.URL, Cluster: fmt.Sprint(a.ID)})
			if s.Reason != store.ReasonFirst && testing.Verbose() {
				t.Logf("article %d folded %s (%s %.2f)", a.ID, path.Base(s.URL), s.Reason, s.Similarity)
			}
		}
		if replaced > before {
			upgraded++
		}
		if current != 1 {
			t.Errorf("article %d: %d sources marked as its text's page, want exactly 1", a.ID, current)
		}
	}
	res, err := dedupeval.Score(filepath.Join(dedupCorpus, "labels.jsonl"), rows)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("end to end: %s", res)
	t.Logf("articles whose page a fuller copy replaced: %d (%d replaced pages)", upgraded, replaced)
	t.Logf("recall by edit:\n%s", res.EditReport())
	if res.Pages != 482 {
		t.Errorf("pages seen = %d, want all 482 (every item URL must be in exactly one article's sources)", res.Pages)
	}
	if res.Lost != 0 {
		t.Errorf("lost articles = %d, want 0", res.Lost)
	}
	if res.Recall < 0.985 || res.Precision < 0.995 {
		t.Errorf("pairwise recall %.3f precision %.3f, want ≥ 0.985 and ≥ 0.995", res.Recall, res.Precision)
	}
}
