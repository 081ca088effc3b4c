package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// EventKind names a webhook event (outbox.event, the X-Wiresift-Event header).
type EventKind string

// The events a receiver is told of.
const (
	EventCreated EventKind = "article.created" // a new article was stored
	EventSighted EventKind = "article.sighted" // a known article was seen again
	EventUpdated EventKind = "article.updated" // an article's stored text changed
)

// Event is one outbox row: something to tell the webhook, written in the
// same transaction as the ingest it describes.
type Event struct {
	ID        int64
	Delivery  string // unique id, the same on every retry
	Kind      EventKind
	ArticleID int64
	Source    *Source // the new sighting, for EventSighted
	CreatedAt time.Time
	Attempts  int // failed deliveries so far
}

// Outbox is what a webhook deliverer needs from the store. Claims lease the
// events they return, so that several deliverers (workers on one
// PostgreSQL database) never send one event at the same time; an event
// whose article has an earlier event still undelivered is not claimed, so
// that a receiver sees an article's events in order.
type Outbox interface {
	// ClaimEvents leases up to limit events that are due at now, in id
	// order, at most one per article.
	ClaimEvents(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Event, error)
	// EventDelivered removes an acknowledged event.
	EventDelivered(ctx context.Context, id int64) error
	// RetryEvent releases a failed event until next, counting the attempt.
	RetryEvent(ctx context.Context, id int64, next time.Time, reason string) error
	// Article is the article an event announces (ErrNotFound once merged away).
	Article(ctx context.Context, id int64) (Article, error)
}

// OutboxStats measure the undelivered events.
type OutboxStats struct {
	Pending int64     `json:"pending"`
	Oldest  time.Time `json:"oldest,omitzero"` // created_at of the oldest undelivered event
}

// EventsFor is what an ingest outcome announces: a new article is created;
// a copy folded into a known article is a sighting, and an update too when
// its text replaced the stored one; an item already seen says nothing.
func EventsFor(out Outcome, sg Sighting) []Event {
	if out.AlreadySeen || out.ArticleID == 0 {
		return nil
	}
	if out.Reason == ReasonFirst {
		return []Event{newEvent(EventCreated, out.ArticleID, sg.SeenAt, nil)}
	}
	src := &Source{URL: sg.ItemURL, FeedURL: sg.FeedURL, Title: sg.ItemTitle, SeenAt: sg.SeenAt.UTC(),
		Reason: out.Reason, Similarity: out.Similarity}
	if out.Upgraded {
		src.TextRole = TextCurrent // the article's text and metadata are now this page's
	}
	evs := []Event{newEvent(EventSighted, out.ArticleID, sg.SeenAt, src)}
	if out.Upgraded {
		evs = append(evs, newEvent(EventUpdated, out.ArticleID, sg.SeenAt, nil))
	}
	return evs
}

// ReprocessEvents is what a reprocess of article id announces: an update
// when its stored text changed. A merged article is gone with its events
// (they are dropped at delivery), and the one it joined keeps its text.
func ReprocessEvents(id int64, r Reprocessed, at time.Time) []Event {
	if !r.Changed || r.MergedInto != 0 || r.Gone {
		return nil
	}
	return []Event{newEvent(EventUpdated, id, at, nil)}
}

func newEvent(kind EventKind, article int64, at time.Time, src *Source) Event {
	return Event{Delivery: newDeliveryID(), Kind: kind, ArticleID: article, Source: src, CreatedAt: at}
}

// newDeliveryID is 128 random bits in hex: unique across workers and
// databases without coordination.
func newDeliveryID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}
