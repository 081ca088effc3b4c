package cli

import (
	"bytes"
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

// syncFeedsFile makes the database's enabled feeds those of the feeds file.
// A file whose bytes are those of the last sync (and whose feeds nothing
// changed since) costs a read and a hash: every poll syncs it, and parsing
// ten thousand lines cost more than the rest of the sync. A file with bad
// lines is parsed every time, so that each run logs them.
func (e *env) syncFeedsFile(ctx context.Context, st store.FeedAdmin, log *slog.Logger) error {
	if e.opts.feeds == "" {
		return nil
	}
	ss, remembers := st.(store.SourceSyncer)
	if remembers {
		synced, err := e.feedsFileSynced(ctx, ss)
		if err != nil || synced {
			return err
		}
	}
	data, err := os.ReadFile(e.opts.feeds)
	if err != nil {
		return feedsFileErr(err)
	}
	entries, errs := feedlist.Parse(bytes.NewReader(data), e.opts.feeds)
	for _, err := range errs {
		log.Error("bad line in feeds file, skipped", "err", err)
	}
	if !remembers {
		err = st.SyncFeeds(ctx, configs(entries))
	} else {
		// The digest of the bytes parsed, not of those hashed above: the
		// file may have changed in between.
		var source []byte
		if len(errs) == 0 {
			if source, err = feedlist.SourceDigest(bytes.NewReader(data), e.build.Version); err != nil {
				return err
			}
		}
		err = ss.SyncFeedsFrom(ctx, configs(entries), source)
	}
	if err != nil {
		return fmt.Errorf("sync feeds from %s: %w", e.opts.feeds, err)
	}
	return nil
}

// feedsFileSynced reports whether the feeds are what the last sync of the
// feeds file, as it is now, made them.
func (e *env) feedsFileSynced(ctx context.Context, ss store.SourceSyncer) (bool, error) {
	f, err := os.Open(e.opts.feeds)
	if err != nil {
		return false, feedsFileErr(err)
	}
	defer f.Close()
	source, err := feedlist.SourceDigest(f, e.build.Version)
	if err != nil {
		return false, fmt.Errorf("feeds file %s: %w", e.opts.feeds, err)
	}
	synced, err := ss.SyncedFrom(ctx, source)
	if err != nil {
		return false, fmt.Errorf("sync feeds from %s: %w", e.opts.feeds, err)
	}
	return synced, nil
}

func feedsFileErr(err error) error {
	return fmt.Errorf("feeds file: %w (use -feeds \"\" to keep the feed list in the database only)", err)
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
