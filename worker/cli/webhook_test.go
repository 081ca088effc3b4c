package cli

import (
	"strings"
	"testing"
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
