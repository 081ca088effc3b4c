package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"slices"
)

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

// ListDigest identifies a feed list for the digest a backend keeps of the
// list it last synced: a list with the digest the store holds changes
// nothing, and a sync of it needs neither the read of every stored feed
// nor SyncChangesNothing. The backend clears its digest (in triggers of its
// schema) whenever anyone changes what SyncChangesNothing compares, so a
// held digest is never stale. Order and repeated lines count: two lists
// with one digest are the same list.
func ListDigest(list []FeedConfig) []byte {
	h := sha256.New()
	var buf []byte
	// Each string is length-prefixed, so no two lists encode alike.
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	buf = append(buf, "wiresift feed list 1\n"...)
	for _, f := range list {
		str(f.URL)
		str(f.Name)
		buf = binary.AppendUvarint(buf, uint64(len(f.Tags)))
		for _, t := range f.Tags {
			str(t)
		}
		buf = binary.AppendVarint(buf, int64(f.Interval))
		if len(buf) >= 32<<10 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return h.Sum(nil)
}

// SourceSyncer is a store that also knows which feeds file the list it last
// synced was parsed from, by a digest of the file (the CLI's is
// feedlist.SourceDigest): a poll of an unchanged file asks SyncedFrom and
// skips the parse, which for ten thousand lines cost more than the sync.
// Both built-in stores have it.
type SourceSyncer interface {
	// SyncedFrom reports whether the feeds are what a sync of a list parsed
	// from source made them: the digest it recorded is source's, and no
	// feed changed since (the backend voids it with the list's digest).
	SyncedFrom(ctx context.Context, source []byte) (bool, error)
	// SyncFeedsFrom is SyncFeeds of a list parsed from source, which it
	// records with the list's digest; a nil source records none, so that
	// SyncedFrom is false until a sync from a file.
	SyncFeedsFrom(ctx context.Context, feeds []FeedConfig, source []byte) error
}
