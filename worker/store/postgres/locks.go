package postgres

import (
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strconv"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

// ingestLocks names the advisory locks an ingest of sg takes. Why they are
// enough: store.Decide can only be changed by an article found through
//   - the feed item (feed id, item key): the sighting itself;
//   - the URL key or the claimed URL: an article carrying it was inserted,
//     or represented, by an ingest with that URL;
//   - the content hash: an article carrying it was inserted, or its text
//     replaced, by an ingest (or reprocess) with that hash;
//   - a near-duplicate key: an article indexed under it was inserted or
//     replaced by an ingest with that key, and Candidates only returns
//     articles sharing a key with sg.
//
// Each of those writers holds the same lock while it writes, so whichever of
// two racing ingests locks second waits for the first to commit and then sees
// its rows. Two copies of a story that share none of these cannot be matched
// by Decide even when ingested one after the other, so nothing is lost by
// letting them run at once. A hash collision between names only serialises
// more than needed.
func ingestLocks(sg store.Sighting) []int64 {
	keys := []int64{
		lockKey("item", strconv.FormatInt(sg.FeedID, 10)+"\x00"+sg.ItemKey),
	}
	keys = append(keys, articleLocks(sg.Article, sg.Print)...)
	return sortedUnique(keys)
}

// articleLocks are the locks of what writing article a with fingerprint fp
// looks up and indexes: its URL key, its claimed URL, its hash and its
// near-duplicate keys (ingest and reprocess alike).
func articleLocks(a store.ArticleData, fp dedup.Fingerprint) []int64 {
	var keys []int64
	for _, u := range []string{a.CanonicalURL, a.ClaimedURL} {
		if u != "" {
			keys = append(keys, lockKey("url", u))
		}
	}
	return append(keys, textLocks(a.ContentHash, fp)...)
}

// textLocks are the locks of a text's hash and near-duplicate keys: what an
// ingest or a text replacement writes into the indexes.
func textLocks(contentHash string, fp dedup.Fingerprint) []int64 {
	var keys []int64
	if contentHash != "" {
		keys = append(keys, lockKey("hash", contentHash))
	}
	var b [8]byte
	for _, k := range fp.Keys {
		binary.BigEndian.PutUint64(b[:], k)
		keys = append(keys, lockKey("key", string(b[:])))
	}
	return keys
}

// lockKey maps a name into the 64-bit advisory lock space, with a kind
// prefix so that a URL and a hash never share a name.
func lockKey(kind, name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("wiresift ingest " + kind + "\x00" + name))
	return int64(h.Sum64())
}

func sortedUnique(keys []int64) []int64 {
	slices.Sort(keys)
	return slices.Compact(keys)
}
