package dedup

import (
	"cmp"
	"slices"

	"github.com/wiresift/wiresift/worker/textnorm"
)

// memStore simulates the store's side of store.Decide in memory: same
// canonical URL, then same content hash, then candidates by shared keys
// (most shared first, at most maxCandidates) verified by Best. Copies are
// not indexed; an upgrade swaps the article's text, hash and fingerprint.
type memStore struct {
	byURL    map[string]int64
	byHash   map[string]int64
	postings map[uint64][]int64
	articles map[int64]*memArticle
	next     int64
}

type memArticle struct {
	hash string
	fp   Fingerprint
}

// maxCandidates mirrors the store's limit per ingest.
const maxCandidates = 64

type decision struct {
	articleID int64
	reason    string // "first", "same_url", "same_hash", "near_duplicate"
	sim       float64
	upgraded  bool
	cands     []Candidate // what Best saw, for diagnostics
}

func newMemStore() *memStore {
	return &memStore{byURL: map[string]int64{}, byHash: map[string]int64{},
		postings: map[uint64][]int64{}, articles: map[int64]*memArticle{}}
}

func (m *memStore) ingest(canonicalURL, text string) decision {
	if id, ok := m.byURL[canonicalURL]; ok && canonicalURL != "" {
		return decision{articleID: id, reason: "same_url", sim: 1}
	}
	hash := textnorm.Hash(text)
	if id, ok := m.byHash[hash]; ok && hash != "" {
		return decision{articleID: id, reason: "same_hash", sim: 1}
	}
	fp := Make(text)
	cands := m.candidates(fp.Keys)
	if match, ok := Best(fp, cands); ok {
		if match.Upgrade {
			m.replace(match.ArticleID, hash, fp)
		}
		return decision{articleID: match.ArticleID, reason: "near_duplicate", sim: match.Similarity, upgraded: match.Upgrade, cands: cands}
	}
	m.next++
	id := m.next
	m.articles[id] = &memArticle{hash: hash, fp: fp}
	if canonicalURL != "" {
		m.byURL[canonicalURL] = id
	}
	if hash != "" {
		m.byHash[hash] = id
	}
	for _, k := range fp.Keys {
		m.postings[k] = append(m.postings[k], id)
	}
	return decision{articleID: id, reason: "first", sim: 1, cands: cands}
}

func (m *memStore) candidates(keys []uint64) []Candidate {
	shared := map[int64]int{}
	for _, k := range keys {
		for _, id := range m.postings[k] {
			shared[id]++
		}
	}
	cands := make([]Candidate, 0, len(shared))
	for id, n := range shared {
		a := m.articles[id]
		cands = append(cands, Candidate{ArticleID: id, Sketch: a.fp.Sketch, Words: a.fp.Words, Shared: n})
	}
	slices.SortFunc(cands, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Shared, a.Shared), cmp.Compare(a.ArticleID, b.ArticleID))
	})
	if len(cands) > maxCandidates {
		cands = cands[:maxCandidates]
	}
	return cands
}

func (m *memStore) replace(id int64, hash string, fp Fingerprint) {
	a := m.articles[id]
	for _, k := range a.fp.Keys {
		m.postings[k] = slices.DeleteFunc(m.postings[k], func(x int64) bool { return x == id })
	}
	delete(m.byHash, a.hash)
	a.hash, a.fp = hash, fp
	if hash != "" {
		m.byHash[hash] = id
	}
	for _, k := range fp.Keys {
		m.postings[k] = append(m.postings[k], id)
	}
}
