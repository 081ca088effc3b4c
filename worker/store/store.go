// Package store defines what the pipeline needs from a database, and the
// deduplicating ingest decision that every backend shares. The backends live in
// store/sqlite (the embedded default) and store/postgres (scale-out); no package
// outside store knows which one it has.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
)

// Sentinel errors; backends wrap them so errors.Is decides behaviour.
var (
	ErrNotFound     = errors.New("store: not found")
	ErrNewerSchema  = errors.New("store: database was written by a newer wiresift (schema version too new)")
	ErrBadQuery     = errors.New("store: bad search query")
	ErrFeedExists   = errors.New("store: feed already exists")
	ErrReadOnlyMode = errors.New("store: database is read-only")
	// ErrStorageFull: the disk (or a size limit) leaves no room to write; no
	// later item can be stored either, so a run stops on it.
	ErrStorageFull = errors.New("store: no space left to write the database")
	// ErrLeaseLost: a poll outlived its lease and another worker claimed the
	// feed meanwhile; its state was not saved, so the new owner's lease holds.
	ErrLeaseLost = errors.New("store: feed lease expired and was claimed by another worker")
)

// Reasons a sighting was folded into an article (sources.reason).
const (
	ReasonFirst         = "first"
	ReasonSameURL       = "same_url"
	ReasonSameHash      = "same_hash"
	ReasonNearDuplicate = "near_duplicate"
)

// Feed states.
const (
	FeedActive   = "active"   // polled on schedule
	FeedGone     = "gone"     // answered 410 Gone; never polled until re-enabled
	FeedDisabled = "disabled" // switched off by the user, or removed from the feeds file
	FeedBlocked  = "blocked"  // last answer was a bot challenge; still polled with backoff
)

// Text sources of an article (articles.text_source).
const (
	TextFromPage = "page" // extracted from the fetched page
	TextFromFeed = "feed" // the feed item's own content (page unavailable, or feed is full text)
)

// FeedConfig is one feed as the user configured it (feeds.txt, `feeds add`, OPML).
type FeedConfig struct {
	URL      string
	Name     string
	Tags     []string
	Interval time.Duration // 0: adaptive
}

// Feed is a feed with its polling state.
type Feed struct {
	ID int64
	FeedConfig
	State string

	// HTTP validators and the hash of the last body, for conditional GET.
	ETag         string
	LastModified string
	BodyHash     string

	LastPollAt        time.Time
	NextPollAt        time.Time
	LastStatus        int
	LastError         string
	ConsecutiveErrors int
	// IdentityPolicy is the item-identity key in force: "guid", "link" or
	// "link_date_title" (dedup layer 1).
	IdentityPolicy string
	// RedirectTo is where a 301/308 on the feed URL pointed: later polls
	// fetch it instead (the configured URL stays the feed's identity).
	RedirectTo string
	// ItemDates are the item dates of the last document parsed, kept so that
	// a 304 (which carries none) leaves the adaptive interval where it was.
	ItemDates   []time.Time
	LeasedUntil time.Time
	Articles    int // sources seen through this feed (filled by Feeds)
}

// PollResult is what one poll of a feed changes in its state. It also releases
// the feed's lease.
type PollResult struct {
	FeedID            int64
	URL               string // new URL after a permanent redirect, else the same
	State             string
	ETag              string
	LastModified      string
	BodyHash          string
	PolledAt          time.Time
	NextPollAt        time.Time
	Status            int
	Error             string
	ConsecutiveErrors int
	IdentityPolicy    string
	RedirectTo        string
	ItemDates         []time.Time // nil keeps the stored dates
	// Lease is the Feed.LeasedUntil that ClaimDueFeeds gave this poll. When
	// set, the state is saved only while the feed still carries that lease
	// (else ErrLeaseLost); zero saves unconditionally (backfill, releases).
	Lease time.Time
}

// ArticleData is the clean article as extraction produced it.
type ArticleData struct {
	URL          string // final URL the page was fetched from (or the item link)
	CanonicalURL string // normalised canonical URL: the URL identity
	Title        string
	Author       string
	SiteName     string
	Language     string
	Published    *time.Time
	Text         string
	ContentHash  string // hex SHA-256 of the normalised text
	TextSource   string // TextFromPage or TextFromFeed
	FetchError   string // why the page was not used, when TextSource is feed
	RawHTML      []byte // compressed page, kept for reprocess (may be nil)
}

// Source is the article's text source as stored: the page unless the text
// came from the feed.
func (a ArticleData) Source() string {
	if a.TextSource == "" {
		return TextFromPage
	}
	return a.TextSource
}

// Sighting is one feed item seen on one feed: the unit of ingest.
type Sighting struct {
	FeedID    int64
	FeedURL   string
	ItemKey   string // identity within the feed, by the feed's IdentityPolicy
	ItemURL   string // the item's link as the feed gave it
	ItemTitle string // the item's own headline
	SeenAt    time.Time
	Article   ArticleData
	Print     dedup.Fingerprint
}

// Outcome says what Ingest did with a sighting.
type Outcome struct {
	ArticleID  int64
	Reason     string // one of the Reason constants; "" when AlreadySeen
	Similarity float64
	// AlreadySeen: this feed already had this item; nothing was written.
	AlreadySeen bool
	// Upgraded: the stored text was replaced by this more complete copy.
	Upgraded bool
}

// Source is one place an article was seen.
type Source struct {
	URL        string     `json:"url"`
	FeedURL    string     `json:"feed_url"`
	Title      string     `json:"title"`
	SeenAt     time.Time  `json:"seen_at"`
	Reason     string     `json:"reason"`
	Similarity float64    `json:"similarity"`
	Published  *time.Time `json:"-"`
}

// Article is a stored article with every place it was seen.
type Article struct {
	ID           int64      `json:"id"`
	URL          string     `json:"url"`
	CanonicalURL string     `json:"canonical_url"`
	Title        string     `json:"title"`
	Author       string     `json:"author"`
	SiteName     string     `json:"site_name"`
	Language     string     `json:"language"`
	Published    *time.Time `json:"published"`
	FeedURL      string     `json:"feed_url"`
	Text         string     `json:"text"`
	ContentHash  string     `json:"content_hash"`
	TextSource   string     `json:"text_source"`
	FetchError   string     `json:"fetch_error,omitempty"`
	FirstSeen    time.Time  `json:"first_seen"`
	Sources      []Source   `json:"sources"`
}

// ExportFilter narrows Export. Zero values mean no limit.
type ExportFilter struct {
	Since, Until time.Time // on first_seen
	FeedURL      string    // articles with at least one source from this feed
}

// SearchOptions narrows Search.
type SearchOptions struct {
	Limit int
	Since time.Time
}

// SearchHit is one ranked search result.
type SearchHit struct {
	ArticleID int64     `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Snippet   string    `json:"snippet"` // matched terms wrapped in [ and ]
	Sources   int       `json:"sources"`
	FirstSeen time.Time `json:"first_seen"`
	Rank      float64   `json:"rank"`
}

// Stats are archive totals.
type Stats struct {
	FeedsByState       map[string]int   `json:"feeds_by_state"`
	Articles           int64            `json:"articles"`
	Sources            int64            `json:"sources"`
	DuplicatesByReason map[string]int64 `json:"duplicates_by_reason"`
	DatabaseBytes      int64            `json:"database_bytes"`
	Webhook            OutboxStats      `json:"webhook"` // undelivered webhook events
}

// Store is everything the pipeline and the CLI need from the database.
// Implementations are safe for concurrent use.
type Store interface {
	// SyncFeeds makes the configured list the set of enabled feeds: new ones
	// are added, known ones get their configuration updated (state kept), and
	// feeds missing from the list are disabled (their articles stay).
	SyncFeeds(ctx context.Context, feeds []FeedConfig) error
	AddFeed(ctx context.Context, f FeedConfig) error
	RemoveFeed(ctx context.Context, url string) error
	// SetFeedState changes a feed's state (re-enabling a gone feed, say).
	SetFeedState(ctx context.Context, url, state string) error
	Feeds(ctx context.Context) ([]Feed, error)

	// ClaimDueFeeds leases up to limit active feeds whose NextPollAt is at or
	// before now and whose lease has expired, so that no other worker polls
	// them until lease has passed or SaveFeedState releases them.
	ClaimDueFeeds(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Feed, error)
	// NextDue is the earliest NextPollAt among active feeds (zero if none).
	NextDue(ctx context.Context) (time.Time, error)
	// SaveFeedState records a poll's outcome and releases the lease.
	SaveFeedState(ctx context.Context, r PollResult) error
	// SaveFeedStates is SaveFeedState for several polls at once, in one
	// transaction where it can: a poll pass saves its feeds in batches.
	// errs[i] is rs[i]'s outcome.
	SaveFeedStates(ctx context.Context, rs []PollResult) (errs []error)

	// SeenItems returns which of the item keys this feed already ingested.
	SeenItems(ctx context.Context, feedID int64, keys []string) (map[string]bool, error)
	// Ingest stores one sighting in one transaction, deduplicating it against
	// the archive (see Decide). It is safe against concurrent ingests of copies
	// of the same story, from this process or another.
	Ingest(ctx context.Context, s Sighting) (Outcome, error)

	// Export calls fn for every article in id order, streaming.
	Export(ctx context.Context, f ExportFilter, fn func(Article) error) error
	Article(ctx context.Context, id int64) (Article, error)
	Search(ctx context.Context, query string, o SearchOptions) ([]SearchHit, error)
	Stats(ctx context.Context) (Stats, error)

	// RawPages streams every article that kept its raw page, in id order, for
	// reprocess; fn may write to the store meanwhile.
	RawPages(ctx context.Context, fn func(id int64, url string, raw []byte) error) error
	// ReprocessArticle writes a re-extracted article back in one transaction,
	// merging it into another article that it now duplicates (see Redecide).
	ReprocessArticle(ctx context.Context, id int64, a ArticleData, fp dedup.Fingerprint) (Reprocessed, error)

	// RecordEvents switches the webhook outbox on: from then on every
	// Ingest writes the events its outcome announces (EventsFor) in its own
	// transaction. Off by default, so an archive without a webhook keeps no
	// backlog.
	RecordEvents(on bool)
	Outbox
	OutboxStats(ctx context.Context) (OutboxStats, error)

	Close() error
}
