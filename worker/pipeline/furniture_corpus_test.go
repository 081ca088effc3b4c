package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/internal/dedupeval"
	"github.com/wiresift/wiresift/worker/netguard"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/sqlite"
)

const dedupCorpus = "../../../shared/corpus/dedup-dev"

// onSiteHosts makes every corpus page look fetched from its own site's host
// (as if the local server had redirected there), so that furniture is
// learned per site as on the web; the test server alone serves them all
// from one host.
type onSiteHosts struct {
	Fetcher
	own map[string]string // page path → the page's URL on its site
}

func (o onSiteHosts) Get(ctx context.Context, r fetch.Request) (*fetch.Response, error) {
	resp, err := o.Fetcher.Get(ctx, r)
	if err == nil && r.Kind == fetch.KindPage {
		if u, perr := url.Parse(r.URL); perr == nil && o.own[u.Path] != "" {
			resp.URL = o.own[u.Path]
		}
	}
	return resp, err
}

// corpusRun is what one run over the corpus stored, scored.
type corpusRun struct {
	leaked, lost int // stored paragraphs not in the page's true text; true paragraphs not stored
	dedup        dedupeval.Result
	dropped      int64
}

// TestFurnitureOnDedupCorpusEndToEnd backfills the dedup corpus (120 sites,
// up to five pages sharing each template) with each page on its own site's
// host, with furniture learning off and on, then reprocesses, and scores the
// stored texts against the pages' true texts, and the folding of copies.
//
//	go test ./worker/pipeline -run TestFurnitureOnDedupCorpusEndToEnd -v
func TestFurnitureOnDedupCorpusEndToEnd(t *testing.T) {
	labelsPath := filepath.Join(dedupCorpus, "labels.jsonl")
	if _, err := os.Stat(labelsPath); err != nil {
		t.Skip("dedup corpus not present:", err)
	}
	labels, err := dedupeval.ReadLabels(labelsPath)
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]string{}
	clean := map[string]string{} // own URL → true text
	for _, l := range labels {
		own["/"+l.File] = l.URL
		b, err := os.ReadFile(filepath.Join(dedupCorpus, l.CleanFile))
		if err != nil {
			t.Fatal(err)
		}
		clean[l.URL] = string(b)
	}
	off := runCorpus(t, own, clean, false, false)
	on := runCorpus(t, own, clean, true, false)
	reprocessed := runCorpus(t, own, clean, true, true)
	for _, r := range []struct {
		name string
		run  corpusRun
	}{{"learning off", off}, {"learning on, ingest", on}, {"learning on, then reprocess", reprocessed}} {
		t.Logf("%-28s leaked paragraphs %4d, true paragraphs not stored %4d, dropped %4d | %s",
			r.name, r.run.leaked, r.run.lost, r.run.dropped, r.run.dedup)
	}
	for _, r := range []corpusRun{on, reprocessed} {
		if r.dedup.Lost != 0 || r.dedup.Precision < off.dedup.Precision || r.dedup.Recall < off.dedup.Recall {
			t.Errorf("dedup fell with furniture learning: %s, off: %s", r.dedup, off.dedup)
		}
		if r.leaked >= off.leaked {
			t.Errorf("leaked paragraphs %d -> %d: furniture learning removed none", off.leaked, r.leaked)
		}
		// The corpus leaves a little of each template's article in the
		// template (its README), so a few true paragraphs do recur.
		if (r.lost-off.lost)*100 > off.lost {
			t.Errorf("true paragraphs not stored %d -> %d: more than 1%% lost", off.lost, r.lost)
		}
	}
}

func runCorpus(t *testing.T, own, clean map[string]string, learn, reprocess bool) corpusRun {
	t.Helper()
	ctx := context.Background()
	var srv *httptest.Server
	files := http.FileServer(http.Dir(dedupCorpus))
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/feeds/") {
			b, err := os.ReadFile(filepath.Join(dedupCorpus, "feeds", path.Base(r.URL.Path)))
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
	defer srv.Close()
	schema, err := os.ReadFile("../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "w.db"), string(schema))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	allow, err := netguard.ParseAllowlist(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 8; i++ {
		if err := st.AddFeed(ctx, store.FeedConfig{URL: fmt.Sprintf("%s/feeds/feed%02d.xml", srv.URL, i)}); err != nil {
			t.Fatal(err)
		}
	}
	p := New(Config{
		Store:   st,
		Fetcher: onSiteHosts{fetch.New(fetch.Config{Allow: allow, Timeout: 10 * time.Second, PerHostGap: -1}), own},
		// One item at a time: pages are learned in one order every run.
		Concurrency: 1, KeepRaw: true, LearnFurniture: learn,
		Rand: rand.New(rand.NewPCG(1, 2)),
	})
	if _, err := p.Backfill(ctx, nil, "", History{}); err != nil {
		t.Fatal(err)
	}
	if reprocess {
		if rep, err := p.Reprocess(ctx, nil, ""); err != nil || rep.Failed != 0 {
			t.Fatalf("reprocess: %+v %v", rep, err)
		}
	}
	var run corpusRun
	var rows []dedupeval.Row
	err = st.Export(ctx, store.ExportFilter{}, func(a store.Article) error {
		for _, s := range a.Sources {
			rows = append(rows, dedupeval.Row{URL: s.URL, Cluster: fmt.Sprint(a.ID)})
		}
		truth, ok := clean[a.URL]
		if !ok {
			return fmt.Errorf("article %d: URL %s is no corpus page", a.ID, a.URL)
		}
		lk, ls := scoreParagraphs(a.Text, truth)
		run.leaked += lk
		run.lost += ls
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if run.dedup, err = dedupeval.Score(filepath.Join(dedupCorpus, "labels.jsonl"), rows); err != nil {
		t.Fatal(err)
	}
	run.dropped = p.FurnitureDropped()
	return run
}

// scoreParagraphs counts the paragraphs of text not in the true text, and
// the true paragraphs not in text (white space collapsed).
func scoreParagraphs(text, truth string) (leaked, lost int) {
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	tr, out := squash(truth), squash(text)
	for _, p := range strings.Split(text, "\n\n") {
		if p = squash(p); p != "" && !strings.Contains(tr, p) {
			leaked++
		}
	}
	for _, c := range strings.Split(truth, "\n\n") {
		if c = squash(c); c != "" && !strings.Contains(out, c) {
			lost++
		}
	}
	return leaked, lost
}
