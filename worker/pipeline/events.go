package pipeline

import (
	"time"

	"github.com/wiresift/wiresift/worker/dedup/policy"
)

// Feed poll outcomes, as counted by metrics and shown in logs.
const (
	OutcomeOK          = "ok"
	OutcomeNotModified = "not_modified"
	OutcomeUnchanged   = "unchanged" // 200 with the same bytes as last time
	OutcomeError       = "error"
	OutcomeGone        = "gone"
	OutcomeBlocked     = "blocked"
)

// FeedReport is what one poll of one feed did.
type FeedReport struct {
	URL         string
	Outcome     string
	Status      int
	Err         error
	Duration    time.Duration
	Bytes       int
	Items       int // items in the document
	NewArticles int
	Duplicates  int
	ByReason    map[string]int
	ItemErrors  int
	Upgraded    int
	// Deferred counts new items past MaxNewItemsPerPoll, left for the next
	// poll; Unread, items past feed.MaxItems in the document, not read.
	Deferred, Unread int
}

// ItemReport is what happened to one new feed item.
type ItemReport struct {
	FeedURL    string
	URL        string
	Reason     policy.Reason // "" when the item failed or was already seen
	Upgraded   bool          // its page now represents the article it joined
	TextSource string
	FetchError string // why the page text was not used
	Err        error  // the item could not be stored
	Bytes      int    // page bytes fetched
	Fetch      time.Duration
}

// Events receives what the pipeline did, for metrics and progress display.
// Implementations must be safe for concurrent use and must not block.
type Events interface {
	FeedDone(FeedReport)
	ItemDone(ItemReport)
}

// NoEvents discards events.
type NoEvents struct{}

// FeedDone implements Events.
func (NoEvents) FeedDone(FeedReport) {}

// ItemDone implements Events.
func (NoEvents) ItemDone(ItemReport) {}

// MultiEvents fans events out to several receivers.
type MultiEvents []Events

// FeedDone implements Events.
func (m MultiEvents) FeedDone(r FeedReport) {
	for _, e := range m {
		e.FeedDone(r)
	}
}

// ItemDone implements Events.
func (m MultiEvents) ItemDone(r ItemReport) {
	for _, e := range m {
		e.ItemDone(r)
	}
}
