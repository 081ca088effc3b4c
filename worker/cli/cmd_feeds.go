package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wiresift/wiresift/worker/feedlist"
	"github.com/wiresift/wiresift/worker/store"
)

func feedsFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.format, "format", "text", "output format of `feeds list`: text or jsonl")
}

// cmdFeeds shows the feeds with their state, or adds, removes or re-enables one.
func cmdFeeds(ctx context.Context, e *env) error {
	sub := "list"
	if len(e.args) > 0 {
		sub = e.args[0]
	}
	switch sub {
	case "list":
		return e.listFeeds(ctx)
	case "add":
		return e.addFeed(ctx, e.args[1:])
	case "rm", "remove":
		if len(e.args) != 2 {
			return usagef("feeds rm needs one URL")
		}
		return e.removeFeed(ctx, e.args[1])
	case "discover":
		return e.discoverSources(ctx, e.args[1:])
	case "enable":
		if len(e.args) != 2 {
			return usagef("feeds enable needs one URL")
		}
		return e.withExisting(ctx, func(st store.Store) error {
			err := st.SetFeedState(ctx, e.args[1], store.FeedActive)
			if errors.Is(err, store.ErrNotFound) {
				return usagef("no feed %s in the feed list (wiresift feeds lists them)", e.args[1])
			}
			return err
		})
	default:
		return usagef("unknown feeds subcommand %q: want list, add, rm, enable or discover", sub)
	}
}

// withExisting is withStore for commands that must not create an archive.
func (e *env) withExisting(ctx context.Context, fn func(store.Store) error) error {
	st, err := e.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

func (e *env) withStore(ctx context.Context, fn func(store.Store) error) error {
	st, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

// addFeed parses "URL [options]" exactly as a feeds-file line, so the two
// cannot disagree, then records it in the file (if any) and the database.
func (e *env) addFeed(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("feeds add needs a URL")
	}
	line := strings.Join(args, " ")
	entries, errs := feedlist.Parse(strings.NewReader(line), "arguments")
	if len(errs) > 0 {
		return usagef("%v", errs[0])
	}
	if len(entries) != 1 {
		return usagef("feeds add needs one URL")
	}
	en := entries[0]
	return e.withStore(ctx, func(st store.Store) error {
		if err := st.AddFeed(ctx, store.FeedConfig{URL: en.URL, Name: en.Name, Tags: en.Tags, Interval: en.Interval}); err != nil {
			return err
		}
		if e.opts.feeds != "" {
			if err := addToFeedsFile(e.opts.feeds, en); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "added %s\n", en.URL)
		return nil
	})
}

func (e *env) removeFeed(ctx context.Context, url string) error {
	return e.withExisting(ctx, func(st store.Store) error {
		if err := st.RemoveFeed(ctx, url); errors.Is(err, store.ErrNotFound) {
			return usagef("no feed %s in the feed list (wiresift feeds lists them)", url)
		} else if err != nil {
			return err
		}
		if e.opts.feeds != "" {
			if err := removeFromFeedsFile(e.opts.feeds, url); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "removed %s (its articles stay in the archive)\n", url)
		return nil
	})
}

// feedRow is one feed in `feeds -format jsonl`.
type feedRow struct {
	URL               string     `json:"url"`
	Name              string     `json:"name,omitempty"`
	Tags              []string   `json:"tags,omitempty"`
	State             string     `json:"state"`
	IdentityPolicy    string     `json:"identity_policy"`
	LastPoll          *time.Time `json:"last_poll"`
	NextPoll          *time.Time `json:"next_poll"`
	LastStatus        int        `json:"last_status"`
	LastError         string     `json:"last_error,omitempty"`
	ConsecutiveErrors int        `json:"consecutive_errors"`
	ETag              string     `json:"etag,omitempty"`
	LastModified      string     `json:"last_modified,omitempty"`
	MovedTo           string     `json:"moved_to,omitempty"`
	Articles          int        `json:"articles"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (e *env) listFeeds(ctx context.Context) error {
	return e.withExisting(ctx, func(st store.Store) error {
		feeds, err := st.Feeds(ctx)
		if err != nil {
			return err
		}
		if e.opts.format == "jsonl" {
			enc := json.NewEncoder(e.stdout)
			enc.SetEscapeHTML(false)
			for _, f := range feeds {
				row := feedRow{URL: f.URL, Name: f.Name, Tags: f.Tags, State: string(f.State), IdentityPolicy: f.IdentityPolicy,
					LastPoll: timePtr(f.LastPollAt), NextPoll: timePtr(f.NextPollAt), LastStatus: f.LastStatus,
					LastError: f.LastError, ConsecutiveErrors: f.ConsecutiveErrors, ETag: f.ETag,
					LastModified: f.LastModified, MovedTo: f.RedirectTo, Articles: f.Articles}
				if err := enc.Encode(row); err != nil {
					return err
				}
			}
			return nil
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "STATE\tSTATUS\tERRORS\tIDENTITY\tLAST POLL\tNEXT POLL\tARTICLES\tURL\tLAST ERROR")
		for _, f := range feeds {
			fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%s\t%d\t%s\t%s\n", f.State, f.LastStatus, f.ConsecutiveErrors,
				f.IdentityPolicy, shortTime(f.LastPollAt), shortTime(f.NextPollAt), f.Articles, f.URL, oneLine(explainStored(f.LastError)))
		}
		return w.Flush()
	})
}

func shortTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// cmdOPML imports an OPML file into the feed list, or prints the list as OPML.
func cmdOPML(ctx context.Context, e *env) error {
	if len(e.args) == 0 {
		return usagef("opml needs import FILE or export")
	}
	switch e.args[0] {
	case "import":
		if len(e.args) != 2 {
			return usagef("opml import needs one FILE")
		}
		return e.importOPML(ctx, e.args[1])
	case "export":
		return e.exportOPML(ctx)
	default:
		return usagef("unknown opml subcommand %q: want import or export", e.args[0])
	}
}

// importOPML adds the feeds of an OPML file. Outlines that cannot be
// feeds (no http(s) URL) are listed on stderr and skipped; the rest are
// imported. The feeds file is written once and synced into the database
// in one transaction, so 20,000 feeds cost about what 20 do, per feed.
func (e *env) importOPML(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	entries, err := feedlist.ParseOPML(f, path)
	skipped := skippedOutlines(err)
	if err != nil && skipped == nil {
		return err
	}
	for _, s := range skipped {
		fmt.Fprintf(e.stderr, "skipped %s\n", humanize(s.Error()))
	}
	return e.withStore(ctx, func(st store.Store) error {
		existing, err := st.Feeds(ctx)
		if err != nil {
			return err
		}
		enabled := map[string]bool{}
		var keep []store.FeedConfig
		for _, fd := range existing {
			if fd.State != store.FeedDisabled {
				enabled[fd.URL] = true
				keep = append(keep, fd.FeedConfig)
			}
		}
		var fresh []feedlist.Entry
		for _, en := range entries {
			if !enabled[en.URL] {
				fresh = append(fresh, en)
			}
		}
		if e.opts.feeds != "" {
			if err := addAllToFeedsFile(e.opts.feeds, fresh); err != nil {
				return err
			}
			log, err := e.logger()
			if err != nil {
				return err
			}
			if err := e.syncFeedsFile(ctx, st, log); err != nil {
				return err
			}
		} else if len(fresh) > 0 {
			// No file: the database's list plus the new feeds, in one
			// transaction; the disabled ones stay disabled.
			if err := st.SyncFeeds(ctx, append(keep, configs(fresh)...)); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "imported %s from %s (%d already present", plural(len(fresh), "feed", "feeds"), path, len(entries)-len(fresh))
		if len(skipped) > 0 {
			fmt.Fprintf(e.stdout, ", %s skipped", plural(len(skipped), "outline", "outlines"))
		}
		fmt.Fprintln(e.stdout, ")")
		return nil
	})
}

// skippedOutlines lists the outlines ParseOPML skipped, or nil when err is
// not about skipped outlines.
func skippedOutlines(err error) []error {
	if !errors.Is(err, feedlist.ErrBadOutline) {
		return nil
	}
	var out []error
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		if err != feedlist.ErrBadOutline {
			out = append(out, err)
		}
	}
	walk(err)
	return out
}

func (e *env) exportOPML(ctx context.Context) error {
	return e.withExisting(ctx, func(st store.Store) error {
		feeds, err := st.Feeds(ctx)
		if err != nil {
			return err
		}
		var entries []feedlist.Entry
		for _, f := range feeds {
			if f.State == store.FeedDisabled {
				continue
			}
			entries = append(entries, feedlist.Entry{URL: f.URL, Name: f.Name, Tags: f.Tags, Interval: f.Interval})
		}
		return feedlist.WriteOPML(e.stdout, "wiresift feeds", entries)
	})
}
