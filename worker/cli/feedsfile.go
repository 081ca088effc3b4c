package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/wiresift/wiresift/worker/feedlist"
	"github.com/wiresift/wiresift/worker/store"
)

// The feeds file is the source of truth for which feeds exist when -feeds
// names one: every poll, run and backfill syncs it into the database, and a
// feed removed from the file is disabled (its articles stay). With -feeds ""
// the database alone holds the list, managed by `feeds add/rm` and `opml import`.

// readFeedsFile parses -feeds; bad lines are logged with file:line and skipped.
func (e *env) readFeedsFile(log *slog.Logger) ([]feedlist.Entry, error) {
	f, err := os.Open(e.opts.feeds)
	if err != nil {
		return nil, fmt.Errorf("feeds file: %w (use -feeds \"\" to keep the feed list in the database only)", err)
	}
	defer f.Close()
	entries, errs := feedlist.Parse(f, e.opts.feeds)
	for _, err := range errs {
		log.Error("bad line in feeds file, skipped", "err", err)
	}
	return entries, nil
}

// syncFeedsFile makes the database's enabled feeds those of the feeds file.
func (e *env) syncFeedsFile(ctx context.Context, st store.FeedAdmin, log *slog.Logger) error {
	if e.opts.feeds == "" {
		return nil
	}
	entries, err := e.readFeedsFile(log)
	if err != nil {
		return err
	}
	if err := st.SyncFeeds(ctx, configs(entries)); err != nil {
		return fmt.Errorf("sync feeds from %s: %w", e.opts.feeds, err)
	}
	return nil
}

func configs(entries []feedlist.Entry) []store.FeedConfig {
	out := make([]store.FeedConfig, 0, len(entries))
	for _, en := range entries {
		out = append(out, store.FeedConfig{URL: en.URL, Name: en.Name, Tags: en.Tags, Interval: en.Interval})
	}
	return out
}

// feedsFileCheck is how often `run` looks at the feeds file for changes
// (SIGHUP reloads at once).
const feedsFileCheck = 10 * time.Second

// watchFeedsFile reloads the feed list on SIGHUP and when the file changes,
// and returns a channel that fires after each reload.
func (e *env) watchFeedsFile(ctx context.Context, st store.Store, log *slog.Logger) <-chan struct{} {
	wake := make(chan struct{}, 1)
	hup := notifyHangup()
	go func() {
		defer stopHangup(hup)
		last := modTime(e.opts.feeds)
		tick := time.NewTicker(feedsFileCheck)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				log.Info("SIGHUP: reloading feed list", "file", e.opts.feeds)
			case <-tick.C:
				m := modTime(e.opts.feeds)
				if m.Equal(last) {
					continue
				}
				last = m
				log.Info("feeds file changed: reloading feed list", "file", e.opts.feeds)
			}
			if err := e.syncFeedsFile(ctx, st, log); err != nil {
				log.Error("reload feed list", "err", err)
				continue
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}()
	return wake
}

func modTime(path string) time.Time {
	fi, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

// addToFeedsFile appends a feed to the feeds file, keeping its comments.
func addToFeedsFile(path string, en feedlist.Entry) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("feeds file: %w", err)
	}
	out, err := feedlist.Add(old, en)
	if err != nil {
		return fmt.Errorf("feeds file %s: %w", path, err)
	}
	return writeFileAtomic(path, out)
}

// addAllToFeedsFile appends many feeds to the feeds file in one write.
func addAllToFeedsFile(path string, es []feedlist.Entry) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("feeds file: %w", err)
	}
	out, added, err := feedlist.AddAll(old, es)
	if err != nil {
		return fmt.Errorf("feeds file %s: %w", path, err)
	}
	if added == 0 && old != nil {
		return nil
	}
	return writeFileAtomic(path, out)
}

// removeFromFeedsFile drops a feed's lines from the feeds file.
func removeFromFeedsFile(path, url string) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("feeds file: %w", err)
	}
	out, removed := feedlist.Remove(old, url)
	if !removed {
		return nil
	}
	return writeFileAtomic(path, out)
}

// writeFileAtomic replaces path so that a crash leaves the old or the new
// file, never half of one.
func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}
