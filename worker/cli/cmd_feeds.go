package cli

import (
	"context"
	"encoding/json"
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
		return e.withStore(ctx, func(st store.Store) error {
			return st.SetFeedState(ctx, e.args[1], store.FeedActive)
		})
	default:
		return usagef("unknown feeds subcommand %q: want list, add, rm, enable or discover", sub)
	}
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
	return e.withStore(ctx, func(st store.Store) error {
		if err := st.RemoveFeed(ctx, url); err != nil {
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
	return e.withStore(ctx, func(st store.Store) error {
		feeds, err := st.Feeds(ctx)
		if err != nil {
			return err
		}
		if e.opts.format == "jsonl" {
			enc := json.NewEncoder(e.stdout)
			enc.SetEscapeHTML(false)
			for _, f := range feeds {
				row := feedRow{URL: f.URL, Name: f.Name, Tags: f.Tags, State: f.State, IdentityPolicy: f.IdentityPolicy,
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
				f.IdentityPolicy, shortTime(f.LastPollAt), shortTime(f.NextPollAt), f.Articles, f.URL, oneLine(f.LastError))
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

func (e *env) importOPML(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opml: %w", err)
	}
	defer f.Close()
	entries, err := feedlist.ParseOPML(f, path)
	if err != nil {
		return err
	}
	return e.withStore(ctx, func(st store.Store) error {
		added := 0
		known := map[string]bool{}
		if existing, err := st.Feeds(ctx); err == nil {
			for _, fd := range existing {
				known[fd.URL] = fd.State != store.FeedDisabled
			}
		}
		for _, en := range entries {
			if known[en.URL] {
				continue
			}
			if err := st.AddFeed(ctx, store.FeedConfig{URL: en.URL, Name: en.Name, Tags: en.Tags, Interval: en.Interval}); err != nil {
				return fmt.Errorf("opml %s:%d: %w", path, en.Line, err)
			}
			if e.opts.feeds != "" {
				if err := addToFeedsFile(e.opts.feeds, en); err != nil {
					return err
				}
			}
			known[en.URL] = true
			added++
		}
		fmt.Fprintf(e.stdout, "imported %d feeds from %s (%d already present)\n", added, path, len(entries)-added)
		return nil
	})
}

func (e *env) exportOPML(ctx context.Context) error {
	return e.withStore(ctx, func(st store.Store) error {
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
