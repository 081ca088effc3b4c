// Package pipeline is the engine that runs the stages on a schedule: it
// claims due feeds, paces and polls them (fetch, feed), has package article
// make each new item's article, and hands it to the store, which applies the
// dedup policy in one transaction; poll states are saved in batches. Data
// flows one way; no stage calls back.
package pipeline

import (
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/article"
	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/robots"
	"github.com/wiresift/wiresift/worker/schedule"
	"github.com/wiresift/wiresift/worker/store"
)

// Fetcher is what the pipeline needs from the HTTP client (fetch.Client).
type Fetcher = article.Fetcher

// Config wires a Pipeline. Store and Fetcher are required.
type Config struct {
	Store    store.Store
	Fetcher  Fetcher
	Schedule schedule.Policy
	Rules    *extract.Rules
	Logger   *slog.Logger
	Events   Events

	// Concurrency bounds the feeds polled at once and, separately, the
	// items in flight at once (page fetch and extraction; storeSlots times
	// as many made articles may wait for the store).
	Concurrency int
	// KeepRaw keeps each fetched page, compressed, for `wiresift reprocess`.
	KeepRaw bool
	// LearnFurniture learns the paragraphs each host repeats on its pages
	// and drops them from page texts (article.Furniture), in ingest and
	// in Reprocess.
	LearnFurniture bool
	// FirstPollMaxAge, when set, skips items older than this on a feed's
	// first poll.
	FirstPollMaxAge time.Duration
	// Lease is how long a claimed feed stays reserved for this worker.
	Lease time.Duration
	// ClaimBatch is the most due feeds claimed at a time (0:
	// DefaultClaimBatch); pace sizes each claim below it. Small claims
	// give every worker sharing a database its share; a store that only
	// one worker claims from can take larger ones and pay for its claim
	// transaction less often.
	ClaimBatch int
	// ParseBudget is the memory, in bytes, that the feeds and pages being
	// parsed may hold at once, each weighed before its parse; 0 means
	// DefaultParseBudget.
	ParseBudget int64

	// Beat is called on every turn of Run's loop (health checks, watchdog).
	Beat func()
	// ClaimDone hears the outcome of every claim Run makes (nil: the
	// database answered), so that health can tell a loop that turns from
	// one that gets work.
	ClaimDone func(error)

	// RobotsOff reports hosts whose sitemap sources the user owns: their
	// pages are fetched without asking robots.txt (-robots-off).
	RobotsOff func(host string) bool

	Now  func() time.Time
	Rand *rand.Rand
}

// storeSlots is how many made articles, per page slot, may wait for the
// store at once: enough for the writer to find a group to commit together
// while the page slots parse on. Each holds a text and a compressed page
// (about 60 kB), not a parse, and counts them in the parse budget.
const storeSlots = 2

// Pipeline polls feeds and ingests their items.
type Pipeline struct {
	cfg       Config
	log       *slog.Logger
	maker     *article.Maker
	furniture *article.Furniture // nil when not learning
	pages     chan struct{}      // semaphore bounding page fetches across feeds
	storing   chan struct{}      // semaphore bounding the articles waiting for the store
	budget    *parseBudget       // memory of the documents being parsed

	robots       *robots.Cache // robots.txt of the sites crawled through sitemaps
	sitemapNotes sync.Map      // what was said once per sitemap

	randMu sync.Mutex
}

// New returns a Pipeline with defaults filled in.
func New(cfg Config) *Pipeline {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Events == nil {
		cfg.Events = NoEvents{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x9e3779b97f4a7c15))
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 15 * time.Minute
	}
	if cfg.ClaimBatch <= 0 {
		cfg.ClaimBatch = DefaultClaimBatch
	}
	if cfg.Schedule.Min <= 0 {
		cfg.Schedule.Min = 10 * time.Minute
	}
	if cfg.ParseBudget <= 0 {
		cfg.ParseBudget = DefaultParseBudget
	}
	if cfg.Schedule.Max <= 0 {
		cfg.Schedule.Max = 24 * time.Hour
	}
	rc := robots.NewCache(robotsGetter(cfg.Fetcher), robots.Product, 0, cfg.Now)
	// Pages of sites crawled through sitemaps wait for their Crawl-delay.
	cfg.Fetcher = newCrawlDelayed(cfg.Fetcher, rc.Delay)
	var fur *article.Furniture
	if cfg.LearnFurniture {
		fur = article.NewFurniture(cfg.Logger)
	}
	budget := newParseBudget(cfg.ParseBudget)
	return &Pipeline{
		cfg: cfg,
		log: cfg.Logger,
		maker: &article.Maker{
			Fetcher: cfg.Fetcher, Rules: cfg.Rules, KeepRaw: cfg.KeepRaw, Furniture: fur, Logger: cfg.Logger,
			Admit: budget.admitPage,
		},
		furniture: fur,
		pages:     make(chan struct{}, cfg.Concurrency),
		storing:   make(chan struct{}, storeSlots*cfg.Concurrency),
		budget:    budget,
		robots:    rc,
	}
}

// FurnitureDropped is how many paragraphs this pipeline has dropped as its
// hosts' furniture so far (0 when not learning).
func (p *Pipeline) FurnitureDropped() int64 { return p.furniture.Dropped() }

// Summary counts what a pass did.
type Summary struct {
	FeedsPolled int
	NotModified int
	NewArticles int
	Duplicates  int
	ByReason    map[string]int
	Errors      int
	Upgraded    int
	// Deferred: new items left for the next poll (MaxNewItemsPerPoll);
	// Unread: items past feed.MaxItems in a document, not read at all.
	Deferred, Unread int
}

func (s *Summary) add(f FeedReport) {
	s.FeedsPolled++
	if f.Outcome == OutcomeNotModified {
		s.NotModified++
	}
	if f.Err != nil {
		s.Errors++
	}
	s.NewArticles += f.NewArticles
	s.Duplicates += f.Duplicates
	s.Errors += f.ItemErrors
	s.Upgraded += f.Upgraded
	s.Deferred += f.Deferred
	s.Unread += f.Unread
	for reason, n := range f.ByReason {
		if s.ByReason == nil {
			s.ByReason = map[string]int{}
		}
		s.ByReason[reason] += n
	}
}

func (p *Pipeline) now() time.Time { return p.cfg.Now() }
