package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/webhook"
)

func TestWebhookFlagRefusesABadURL(t *testing.T) {
	w := newWorkspace(t)
	code, _, errOut := cliRun(t, w.args("poll", "-webhook", "ftp://127.0.0.1/hook")...)
	if code != exitUsage || !strings.Contains(errOut, "-webhook") {
		t.Errorf("poll -webhook ftp://…: want exit %d naming -webhook, got %d\n%s", exitUsage, code, errOut)
	}
}

// A dead receiver does not stop a poll: the articles are stored, the
// events wait in the outbox, and stats shows them.
func TestDeadReceiverLeavesABacklogAndStoresEverything(t *testing.T) {
	s := newSite(t)
	for i := 1; i <= 3; i++ {
		s.add("/a/"+string(rune('0'+i)), "text/html; charset=utf-8", archiveArticle(i))
	}
	s.add("/feed.xml", "application/rss+xml", rss("Dead hook", [2]string{"One", "/a/1"}, [2]string{"Two", "/a/2"}, [2]string{"Three", "/a/3"}))
	w := newWorkspace(t, s.URL+"/feed.xml")
	out := w.mustRun(t, "poll", "-webhook", freeLoopbackURL(t)+"/hook", "-grace", "2s")
	if !strings.Contains(out, "3 new articles") {
		t.Fatalf("poll with a dead receiver: want 3 new articles, got %s", out)
	}
	stats := w.mustRun(t, "stats")
	if !strings.Contains(stats, "webhook backlog") || !strings.Contains(stats, "webhook oldest undelivered") {
		t.Fatalf("stats: want the webhook backlog and oldest event, got\n%s", stats)
	}
	for _, line := range strings.Split(stats, "\n") {
		if strings.HasPrefix(line, "webhook backlog") && strings.Fields(line)[2] != "3" {
			t.Errorf("stats: want a backlog of 3, got %q", line)
		}
	}
}

// A reprocess with -webhook announces each article whose stored text
// changed as article.updated, with the new text; an article merged away as
// a copy announces nothing (the one it joined keeps its text).
func TestReprocessWebhookAnnouncesChangedTexts(t *testing.T) {
	feeds := reprocessSites(t)
	w := newWorkspace(t, feeds...)
	w.mustRun(t, "backfill", "-rules", writeRules(t, w, "old.json", oldRules), "-log-level", "warn")

	var mu sync.Mutex
	var events []string
	var updated []store.Article
	rcv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if !webhook.Verify(hookSecret, body, r.Header.Get(webhook.HeaderSignature)) {
			rw.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev struct {
			Event   string         `json:"event"`
			Article *store.Article `json:"article"`
		}
		if err := json.Unmarshal(body, &ev); err != nil {
			rw.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev.Event)
		if ev.Event == string(store.EventUpdated) && ev.Article != nil {
			updated = append(updated, *ev.Article)
		}
		rw.WriteHeader(http.StatusNoContent)
	}))
	defer rcv.Close()

	out := w.mustRun(t, "reprocess", "-rules", writeRules(t, w, "new.json", newRules), "-log-level", "warn",
		"-webhook", rcv.URL, "-webhook-secret", hookSecret, "-grace", "20s")
	if !strings.Contains(out, "2 texts changed, 1 articles merged") {
		t.Fatalf("setup: want the ferry text changed and the copy merged, got %q", out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 1 || len(updated) != 1 {
		t.Fatalf("webhook after reprocess: want one article.updated, got %v", events)
	}
	promo := prose(4, 8)[0]
	if a := updated[0]; !strings.HasSuffix(a.URL, "/c/ferry") || strings.Contains(a.Text, promo) || !strings.Contains(a.Text, prose(5, 8)[0]) {
		t.Errorf("article.updated: want /c/ferry with its new text, got %s:\n%s", a.URL, a.Text)
	}
	if stats := w.mustRun(t, "stats", "-format", "jsonl"); !strings.Contains(stats, `"webhook":{"pending":0`) {
		t.Errorf("stats after delivery: want an empty backlog, got %s", stats)
	}
}
