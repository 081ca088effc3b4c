package store

import "slices"

// ListedFeed is a stored feed as a sync compares it with the feed list.
type ListedFeed struct {
	FeedConfig
	Disabled bool
}

// SyncChangesNothing reports whether SyncFeeds(list) would leave the stored
// feeds as they are: every listed feed is stored, not disabled, and
// configured as listed (of two lines with one URL, the last counts), and
// every other feed is disabled. Every poll syncs the feeds file, which is
// almost always unchanged: a backend that checks this on a read connection
// first skips the write, and its lock, for ten thousand rows.
func SyncChangesNothing(stored []ListedFeed, list []FeedConfig) bool {
	listed := make(map[string]FeedConfig, len(list))
	for _, f := range list {
		listed[f.URL] = f
	}
	matched := 0
	for _, s := range stored {
		want, ok := listed[s.URL]
		switch {
		case !ok && s.Disabled:
			continue
		case !ok, s.Disabled, !sameConfig(s.FeedConfig, want):
			return false
		}
		matched++
	}
	return matched == len(listed)
}

// sameConfig compares what the feeds file sets; no tags and an empty list
// of tags are the same.
func sameConfig(a, b FeedConfig) bool {
	return a.URL == b.URL && a.Name == b.Name && a.Interval == b.Interval && slices.Equal(a.Tags, b.Tags)
}
