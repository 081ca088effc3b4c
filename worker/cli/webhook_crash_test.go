package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/crashtest"
	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/webhook"
)

const hookSecret = "receiver-secret"

// hookReceiver is the operator's receiver: it checks every signature,
// fails while down, and records each event it acknowledged.
type hookReceiver struct {
	down      atomic.Bool
	flaky     atomic.Bool // every fourth request fails
	requests  atomic.Int64
	failed    atomic.Int64
	badSigned atomic.Int64

	mu        sync.Mutex
	acked     map[string]int  // delivery id → times acknowledged
	created   map[int64]bool  // article ids announced
	sightings map[string]bool // "article url feed" announced
}

func newHookReceiver() *hookReceiver {
	return &hookReceiver{acked: map[string]int{}, created: map[int64]bool{}, sightings: map[string]bool{}}
}

func sightingKey(article int64, url, feed string) string {
	return fmt.Sprintf("%d %s %s", article, url, feed)
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.requests.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if !webhook.Verify(hookSecret, body, r.Header.Get(webhook.HeaderSignature)) {
		h.badSigned.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	// Slow enough that kills land mid-delivery.
	time.Sleep(15 * time.Millisecond)
	if n := h.requests.Load(); h.down.Load() || (h.flaky.Load() && n%4 == 0) {
		h.failed.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var ev struct {
		Event     string         `json:"event"`
		Article   *store.Article `json:"article"`
		ArticleID int64          `json:"article_id"`
		Source    *store.Source  `json:"source"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.Event != r.Header.Get(webhook.HeaderEvent) {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.acked[r.Header.Get(webhook.HeaderDelivery)]++
	switch {
	case ev.Event == string(store.EventCreated) && ev.Article != nil:
		h.created[ev.Article.ID] = true
	case ev.Event == string(store.EventSighted) && ev.Source != nil:
		h.sightings[sightingKey(ev.ArticleID, ev.Source.URL, ev.Source.FeedURL)] = true
	}
	w.WriteHeader(http.StatusNoContent)
}

// TestWebhookLosesNoEventAcrossSIGKILL runs `wiresift backfill -webhook`
// against a receiver that fails half the time, kills it at random moments,
// lets the receiver recover and a last run finish, then checks that the
// receiver acknowledged a creation for every stored article and a sighting
// for every folded copy, all correctly signed.
func TestWebhookLosesNoEventAcrossSIGKILL(t *testing.T) {
	bin := crashtest.Binary(t)
	corpus := crashtest.NewCorpus(crashSeed+20, 4, 90)
	srv := crashtest.Serve(t, corpus, 10*time.Millisecond)
	// Beside the corpus's feeds, a news site's sitemap index (with a gzip
	// news sitemap and a robots.txt), its feed and a site of copies.
	news, copies := sitemapWorld(t)
	sources := append(corpus.FeedURLs(srv.URL), sitemapWorldSources(news, copies)...)
	feeds := filepath.Join(t.TempDir(), "feeds.txt")
	if err := os.WriteFile(feeds, []byte(strings.Join(sources, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("sqlite", func(t *testing.T) {
		arts := webhookCrash(t, bin, feeds, filepath.Join(t.TempDir(), "hook.db"))
		checkSitemapWorld(t, arts, news, copies)
	})
	t.Run("postgres", func(t *testing.T) {
		arts := webhookCrash(t, bin, feeds, pgtest.DSN(t))
		checkSitemapWorld(t, arts, news, copies)
	})
}

// checkSitemapWorld: the killed runs left the sitemap sources' archive as
// one clean backfill makes it.
func checkSitemapWorld(t *testing.T, arts []store.Article, news, copies *newsSite) {
	t.Helper()
	if got := summarizeSources(t, arts, news, copies); strings.Join(got, "\n") != strings.Join(sitemapWorldArchive, "\n") {
		t.Errorf("sitemap sources after the kills:\nwant\n%s\ngot\n%s", strings.Join(sitemapWorldArchive, "\n"), strings.Join(got, "\n"))
	}
}

func webhookCrash(t *testing.T, bin, feeds, db string) []store.Article {
	rcv := newHookReceiver()
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	args := func(cmd string) []string {
		return []string{cmd, "-db", db, "-feeds", feeds, "-allow-net", "127.0.0.1/32", "-host-gap", "-1ns",
			"-log-format", "json", "-webhook", hook.URL, "-webhook-secret", hookSecret,
			"-webhook-timeout", "1s", "-grace", "3s"}
	}
	rng := rand.New(rand.NewPCG(crashSeed, 20))
	const kills = 6
	landed, finished := 0, 0
	rcv.flaky.Store(true)
	// Kills are drawn over 700ms at first; once a run ends by itself
	// before its kill, over that run's length, as the runs shorten.
	window := 700 * time.Millisecond
	for attempt := 0; landed < kills && attempt < 10*kills; attempt++ {
		rcv.down.Store(attempt%3 == 0) // down for every third run
		cmd, _, stderr := crashtest.Command(bin, append(args("backfill"), "-progress", "log")...)
		killed, took, err := runOrKill(t, cmd, 5*time.Millisecond+time.Duration(rng.Int64N(int64(window))))
		if !killed {
			if err != nil {
				t.Fatalf("run %d ended by itself with %v\n%s", attempt, err, stderr)
			}
			finished++
			window = max(took, 10*time.Millisecond)
			continue
		}
		landed++
	}
	if landed < kills {
		t.Fatalf("only %d of %d kills landed", landed, kills)
	}
	if rcv.failed.Load() == 0 {
		// On a busy machine every kill may land before the first
		// delivery: one whole run against the receiver down makes the
		// failed deliveries this test is about, of the events the killed
		// runs stored.
		rcv.down.Store(true)
		cmd, _, stderr := crashtest.Command(bin, args("backfill")...)
		if err := cmd.Run(); err != nil {
			t.Fatalf("backfill against the receiver down: %v\n%s", err, stderr)
		}
	}

	// The receiver recovers; runs go on until the backlog is delivered
	// (events a killed run held stay reserved for -webhook-timeout + 5s).
	rcv.down.Store(false)
	rcv.flaky.Store(false)
	deadline := time.Now().Add(2 * time.Minute)
	for runs := 0; ; runs++ {
		cmd, _, stderr := crashtest.Command(bin, args("backfill")...)
		if err := cmd.Run(); err != nil {
			t.Fatalf("completing backfill: %v\n%s", err, stderr)
		}
		if webhookBacklog(t, bin, db) == 0 {
			t.Logf("backlog delivered after %d completing runs", runs+1)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhook backlog still %d after 2 minutes of runs", webhookBacklog(t, bin, db))
		}
		time.Sleep(time.Second)
	}

	arts := exportArchive(t, bin, db)
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	var missing []string
	sightings, repeats := 0, 0
	for _, a := range arts {
		if !rcv.created[a.ID] {
			missing = append(missing, fmt.Sprintf("article.created of article %d (%s)", a.ID, a.URL))
		}
		for _, s := range a.Sources[1:] {
			sightings++
			if !rcv.sightings[sightingKey(a.ID, s.URL, s.FeedURL)] {
				missing = append(missing, fmt.Sprintf("article.sighted of article %d from %s", a.ID, s.FeedURL))
			}
		}
	}
	for _, n := range rcv.acked {
		repeats += n - 1
	}
	if len(missing) > 0 {
		t.Errorf("after %d kills: %d events never acknowledged:\n%s", landed, len(missing), strings.Join(missing, "\n"))
	}
	if rcv.badSigned.Load() != 0 {
		t.Errorf("%d requests carried a wrong signature", rcv.badSigned.Load())
	}
	if sightings == 0 || rcv.failed.Load() == 0 {
		t.Errorf("test did not exercise what it claims: %d folded copies, %d failed deliveries", sightings, rcv.failed.Load())
	}
	t.Logf("%d kills, %d runs that finished first; %d articles, %d sightings; %d requests, %d answered 503, %d events acknowledged more than once (at-least-once)",
		landed, finished, len(arts), sightings, rcv.requests.Load(), rcv.failed.Load(), repeats)
	return arts
}

// webhookBacklog reads the undelivered-event count from `wiresift stats`.
func webhookBacklog(t *testing.T, bin, db string) int64 {
	t.Helper()
	cmd, out, errOut := crashtest.Command(bin, "stats", "-db", db, "-format", "jsonl")
	if err := cmd.Run(); err != nil {
		t.Fatalf("stats: %v\n%s", err, errOut)
	}
	var s store.Stats
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("stats output: %v\n%s", err, out)
	}
	return s.Webhook.Pending
}
