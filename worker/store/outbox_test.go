package store

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func eventsString(evs []Event) string {
	var s []string
	for _, ev := range evs {
		e := fmt.Sprintf("%s/%d", ev.Kind, ev.ArticleID)
		if ev.Source != nil {
			e += fmt.Sprintf("(%s %s %s)", ev.Source.URL, ev.Source.Reason, ev.Source.TextRole)
		}
		s = append(s, e)
	}
	return strings.Join(s, " ")
}

// TestEventsAnnounceWhatChanged: the one rule of what an ingest or a
// reprocess tells the webhook.
func TestEventsAnnounceWhatChanged(t *testing.T) {
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	sg := Sighting{FeedURL: "http://127.0.0.1/f.xml", ItemURL: "http://127.0.0.1/a", ItemTitle: "A", SeenAt: at}
	cases := []struct {
		name string
		got  []Event
		want string
	}{
		{"new article", EventsFor(Outcome{ArticleID: 1, Reason: ReasonFirst}, sg), "article.created/1"},
		{"folded copy", EventsFor(Outcome{ArticleID: 1, Reason: ReasonSameHash, Similarity: 1}, sg),
			"article.sighted/1(http://127.0.0.1/a same_hash )"},
		{"fuller copy replaced the text", EventsFor(Outcome{ArticleID: 1, Reason: ReasonNearDuplicate, Upgraded: true}, sg),
			"article.sighted/1(http://127.0.0.1/a near_duplicate current) article.updated/1"},
		{"already seen", EventsFor(Outcome{ArticleID: 1, AlreadySeen: true}, sg), ""},
		{"reprocess changed the text", ReprocessEvents(7, Reprocessed{Changed: true}, at), "article.updated/7"},
		{"reprocess, same text", ReprocessEvents(7, Reprocessed{}, at), ""},
		{"reprocess merged it away", ReprocessEvents(7, Reprocessed{Changed: true, MergedInto: 3, Reason: ReasonSameHash}, at), ""},
		{"reprocess of a gone article", ReprocessEvents(7, Reprocessed{Gone: true}, at), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := eventsString(c.got); got != c.want {
				t.Errorf("want %q, got %q", c.want, got)
			}
			seen := map[string]bool{}
			for _, ev := range c.got {
				if len(ev.Delivery) != 32 || seen[ev.Delivery] || !ev.CreatedAt.Equal(at) {
					t.Errorf("event %s: want its own 32-hex delivery id, created at %v; got %q at %v", ev.Kind, at, ev.Delivery, ev.CreatedAt)
				}
				seen[ev.Delivery] = true
			}
		})
	}
}
