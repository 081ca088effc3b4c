// Package store defines what the pipeline needs from a database, and writes
// the dedup policy's decision (package dedup/policy) in every backend's
// ingest transaction the same way (Decide, Redecide). The backends live in
// store/sqlite (the embedded default) and store/postgres (scale-out); no package
// outside store knows which one it has.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
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

// Reasons a sighting was filed under an article (sources.reason); the
// policy package owns them.
const (
	ReasonFirst         = policy.First
	ReasonSameURL       = policy.SameURL
	ReasonSameHash      = policy.SameHash
	ReasonNearDuplicate = policy.NearDuplicate
)

// FeedState is where a feed stands (feeds.state).
type FeedState string

// Feed states.
const (
	FeedActive   FeedState = "active"   // polled on schedule
	FeedGone     FeedState = "gone"     // answered 410 Gone; never polled until re-enabled
	FeedDisabled FeedState = "disabled" // switched off by the user, or removed from the feeds file
	FeedBlocked  FeedState = "blocked"  // last answer was a bot challenge; still polled with backoff
)

// FeedStates are every feed state, in the order reports list them.
var FeedStates = []FeedState{FeedActive, FeedBlocked, FeedGone, FeedDisabled}

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
	State FeedState

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
	URL               string    // new URL after a permanent redirect, else the same
	State             FeedState // "" keeps the stored state
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
	CanonicalURL string // URL identity: URL normalised (policy.URLKeys)
	// ClaimedURL is the normalised canonical link the page declared for
	// another address: looked up, never stored (policy.Keys.ClaimedURL).
	ClaimedURL  string
	Title       string
	Author      string
	SiteName    string
	Language    string
	Published   *time.Time
	Text        string
	ContentHash string // hex SHA-256 of the normalised text
	TextSource  string // TextFromPage or TextFromFeed
	FetchError  string // why the page was not used, when TextSource is feed
	RawHTML     []byte // compressed page, kept for reprocess (may be nil)
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
	// MoreComing: the caller is making other articles that it will store
	// within milliseconds. A store may then wait that long for them, to
	// commit them together; it changes nothing of what is stored.
	MoreComing bool
}

// Outcome says what Ingest did with a sighting.
type Outcome struct {
	ArticleID  int64
	Reason     policy.Reason // "" when AlreadySeen
	Similarity float64
	// AlreadySeen: this feed already had this item; nothing was written.
	AlreadySeen bool
	// Upgraded: the stored text was replaced by this more complete copy.
	Upgraded bool
}

// Source is one place an article was seen.
type Source struct {
	URL        string        `json:"url"`
	FeedURL    string        `json:"feed_url"`
	Title      string        `json:"title"`
	SeenAt     time.Time     `json:"seen_at"`
	Reason     policy.Reason `json:"reason"`
	Similarity float64       `json:"similarity"`
	// TextRole says whether this sighting's page is the article's text and
	// metadata (TextCurrent) or was until ReplacedAt (TextReplaced).
	TextRole   string     `json:"text_role,omitempty"`
	ReplacedAt *time.Time `json:"replaced_at,omitempty"`
	Published  *time.Time `json:"-"`
}

// What a sighting's page is to its article (Source.TextRole, sources.text_role).
const (
	TextCurrent  = "current"  // the article's text, URL, title, site, author and date are this page's
	TextReplaced = "replaced" // they were, until a fuller copy replaced them
)

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
	Since time.Time // first seen at or after
	Until time.Time // first seen before
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
	FeedsByState       map[FeedState]int `json:"feeds_by_state"`
	Articles           int64             `json:"articles"`
	Sources            int64             `json:"sources"`
	DuplicatesByReason map[string]int64  `json:"duplicates_by_reason"`
	DatabaseBytes      int64             `json:"database_bytes"`
	Webhook            OutboxStats       `json:"webhook"` // undelivered webhook events
}

// Store is everything the pipeline and the commands need from a database:
// the sum of the interfaces below, one for each kind of work. Both backends
// implement it and pass the contract suite (worker/internal/storetest).
// Implementations are safe for concurrent use.
type Store interface {
	FeedAdmin
	Poller
	Ingester
	Reader
	Reprocessor
	Outbox
	Close() error
}

// FeedAdmin reads and changes the feed list (the feeds-file sync, `feeds`,
// `opml`).
type FeedAdmin interface {
	// SyncFeeds makes the configured list the set of enabled feeds: new ones
	// are added, known ones get their configuration updated (state kept), and
	// feeds missing from the list are disabled (their articles stay).
	SyncFeeds(ctx context.Context, feeds []FeedConfig) error
	AddFeed(ctx context.Context, f FeedConfig) error
	RemoveFeed(ctx context.Context, url string) error
	// SetFeedState changes a feed's state (re-enabling a gone feed, say).
	SetFeedState(ctx context.Context, url string, state FeedState) error
	// Feeds lists every feed with its state.
	Feeds(ctx context.Context) ([]Feed, error)
}

// Poller is what the poll engine needs to share feeds between workers.
type Poller interface {
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
	// Census counts the feeds by whether a pass claiming at now would poll
	// them, and why not, in one query (`poll`'s "not polled" line).
	Census(ctx context.Context, now time.Time) (FeedCensus, error)
}

// FeedCensus counts feeds at one instant by what a poll pass does with
// them. Every feed is in exactly one of Due, NotDue, Leased, Disabled and
// Gone, tested in the reverse order: a disabled feed is Disabled whatever
// its lease.
type FeedCensus struct {
	Due        int // active or blocked, due, and not leased: ClaimDueFeeds would take it
	NotDue     int // active or blocked, next poll later, not leased
	BackingOff int // of NotDue, the ones after errors in a row
	// NextDue is the earliest next poll of the NotDue feeds (zero if none).
	NextDue  time.Time
	Leased   int // active or blocked, under another worker's live lease
	Disabled int
	Gone     int
}

// Ingester stores what a poll or a backfill brings in.
type Ingester interface {
	// SeenItems returns which of the item keys this feed already ingested.
	SeenItems(ctx context.Context, feedID int64, keys []string) (map[string]bool, error)
	// SightingsOf returns this feed's recorded sightings (key, link, title)
	// of the item links, in sighting order: which items a feed already had
	// when its identity policy changed (policy.Had).
	SightingsOf(ctx context.Context, feedID int64, links []string) ([]policy.ItemSighting, error)
	// Ingest stores one sighting in one transaction, deduplicating it against
	// the archive (see Decide). It is safe against concurrent ingests of copies
	// of the same story, from this process or another.
	Ingest(ctx context.Context, s Sighting) (Outcome, error)
	// RecordEvents switches the webhook outbox on: from then on every
	// Ingest writes the events its outcome announces (EventsFor) in its own
	// transaction. Off by default, so an archive without a webhook keeps no
	// backlog.
	RecordEvents(on bool)
}

// Reader reads the archive (`export`, `search`, `stats`, `dupes`, the status
// page).
type Reader interface {
	// Export calls fn for every article in id order, streaming.
	Export(ctx context.Context, f ExportFilter, fn func(Article) error) error
	// Article is one article with its sources in sighting order;
	// ErrNotFound if there is none with that id.
	Article(ctx context.Context, id int64) (Article, error)
	Search(ctx context.Context, query string, o SearchOptions) ([]SearchHit, error)
	Stats(ctx context.Context) (Stats, error)
	// TopSyndicated returns the articles seen on the most distinct feeds,
	// most first (ties: lowest id), with their sources.
	TopSyndicated(ctx context.Context, limit int) ([]Article, error)
	// LatestArticles returns the most recently first-seen articles, newest
	// first, with their sources.
	LatestArticles(ctx context.Context, limit int) ([]Article, error)
	// OutboxStats measure the webhook events not yet delivered (`stats`,
	// /metrics).
	OutboxStats(ctx context.Context) (OutboxStats, error)
}

// Reprocessor re-runs extraction over the kept pages (`reprocess`).
type Reprocessor interface {
	// RawPages streams every article that kept its raw page, in id order;
	// fn may write to the store meanwhile (it reads a snapshot).
	RawPages(ctx context.Context, fn func(id int64, url string, raw []byte) error) error
	// ReprocessArticle writes a re-extracted article back in one transaction,
	// merging it into another article that it now duplicates (see Redecide).
	ReprocessArticle(ctx context.Context, id int64, a ArticleData, fp dedup.Fingerprint) (Reprocessed, error)
}
