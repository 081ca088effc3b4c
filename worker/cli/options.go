package cli

import (
	"flag"
	"fmt"
	"time"

	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/netguard"
	"github.com/wiresift/wiresift/worker/schedule"
)

// options holds every flag; a command registers the ones it reads.
type options struct {
	// global
	db, feeds, allowNet string
	logFormat, logLevel string
	allow               netguard.Allowlist

	// fetching
	userAgent   string
	timeout     time.Duration
	maxFeedSize int64
	maxPageSize int64
	perHost     int
	hostGap     time.Duration
	concurrency int
	rules       string
	keepRaw     bool

	learnFurniture bool // drop what a host repeats on its pages

	// scheduling and service
	minInterval, maxInterval time.Duration
	lease, grace             time.Duration
	listen                   string
	firstPollMaxAge          time.Duration
	webhook, webhookSecret   string
	webhookTimeout           time.Duration
	robotsOff                string

	// command-specific
	format       string
	url          string
	feed         string
	since, until string
	limit        int
	maxPages     int
	from, to     string
	progress     string
	now          bool
}

func (o *options) registerGlobal(fs *flag.FlagSet) {
	fs.StringVar(&o.db, "db", "./wiresift.db", "database: a SQLite file path (or sqlite:PATH), or a postgres:// URL")
	fs.StringVar(&o.feeds, "feeds", "./feeds.txt", "feed list file (one URL a line, options after it)")
	fs.StringVar(&o.allowNet, "allow-net", "", "comma-separated exemptions from the private-address guard: CIDR, IP or IP:port")
	fs.StringVar(&o.logFormat, "log-format", "auto", "log format: text, json, or auto (text on a terminal, json otherwise)")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn, error")
}

// fetchFlags are the flags of every command that fetches.
func fetchFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.userAgent, "user-agent", "", "User-Agent header (default names wiresift, its version and its URL)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "deadline for one whole HTTP request, body included")
	fs.Int64Var(&o.maxFeedSize, "max-feed-size", fetch.DefaultMaxFeedBytes, "largest feed body in bytes, after decompression")
	fs.Int64Var(&o.maxPageSize, "max-page-size", fetch.DefaultMaxPageBytes, "largest article page in bytes, after decompression")
	fs.IntVar(&o.perHost, "per-host", 2, "most requests in flight to one host")
	fs.DurationVar(&o.hostGap, "host-gap", time.Second, "least time between two request starts to one host (negative: none)")
	fs.IntVar(&o.concurrency, "concurrency", 8, "feeds polled at once, and items (fetch, extract, store) in flight at once")
	fs.StringVar(&o.rules, "rules", "", "per-site extraction rules file")
	fs.BoolVar(&o.keepRaw, "keep-raw", true, "keep each fetched page, compressed, for reprocess")
	learnFurnitureFlag(fs, o)
	fs.DurationVar(&o.minInterval, "min-interval", schedule.DefaultMin, "shortest interval between two polls of a feed that wiresift chooses")
	fs.DurationVar(&o.maxInterval, "max-interval", schedule.DefaultMax, "longest interval wiresift chooses (server Retry-After may ask for more)")
	fs.DurationVar(&o.lease, "lease", 15*time.Minute, "how long a claimed feed stays reserved for one worker")
	fs.DurationVar(&o.firstPollMaxAge, "first-poll-max-age", 0, "on a feed's first poll, skip items older than this (0: take all)")
}

// learnFurnitureDefault: see docs/extraction.md for the figures behind it.
const learnFurnitureDefault = false

// learnFurnitureFlag is shared by the commands that make articles.
func learnFurnitureFlag(fs *flag.FlagSet, o *options) {
	fs.BoolVar(&o.learnFurniture, "learn-furniture", learnFurnitureDefault, "drop paragraphs a host repeats on many of its pages (promos, sign-up lines) from page texts")
}

func noFlags(*flag.FlagSet, *options) {}

func formatFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.format, "format", "text", "output format: text or jsonl")
}

// validate checks values that flag parsing alone accepts.
func (o *options) validate() error {
	var err error
	if o.allow, err = netguard.ParseAllowlist(o.allowNet); err != nil {
		return fmt.Errorf("-allow-net: %w", err)
	}
	switch {
	case o.concurrency < 0 || o.concurrency > 1024:
		return fmt.Errorf("-concurrency %d out of range 1..1024", o.concurrency)
	case o.perHost < 0 || o.perHost > 64:
		return fmt.Errorf("-per-host %d out of range 1..64", o.perHost)
	case o.minInterval < 0 || o.maxInterval < 0:
		return fmt.Errorf("-min-interval and -max-interval must not be negative")
	case o.maxInterval > 0 && o.minInterval > o.maxInterval:
		return fmt.Errorf("-min-interval %s is above -max-interval %s", o.minInterval, o.maxInterval)
	case o.timeout < 0 || o.maxFeedSize < 0 || o.maxPageSize < 0:
		return fmt.Errorf("-timeout, -max-feed-size and -max-page-size must not be negative")
	case o.limit < 0:
		return fmt.Errorf("-limit %d must not be negative", o.limit)
	}
	switch o.format {
	case "", "text", "jsonl", "json":
	default:
		return fmt.Errorf("-format %q: want text or jsonl", o.format)
	}
	switch o.progress {
	case "", "auto", "bar", "log":
	default:
		return fmt.Errorf("-progress %q: want bar, log or auto", o.progress)
	}
	switch o.logFormat {
	case "auto", "text", "json":
	default:
		return fmt.Errorf("-log-format %q: want text, json or auto", o.logFormat)
	}
	return nil
}
