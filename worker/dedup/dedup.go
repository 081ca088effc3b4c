// Package dedup finds near-duplicate article texts: wire copies that differ in
// headline, dateline, byline, credits, quotes, an inserted line or a trimmed
// tail. The store keeps each article's Fingerprint; Keys go into an index so
// that finding candidates costs the same on a large archive as on a small one,
// and Best verifies the candidates on their sketches.
package dedup

// Fingerprint is what the store keeps for one article to find its copies later.
type Fingerprint struct {
	// Keys are lookup keys (for example LSH band hashes); the store indexes
	// them and returns the articles that share at least one.
	Keys []uint64
	// Sketch is an opaque summary of the text that Best compares.
	Sketch []byte
	// Words is the number of words in the text, so a longer copy can be told
	// from a trimmed one.
	Words int
}

// Candidate is a stored article that shares at least one key with a new text.
type Candidate struct {
	ArticleID int64
	Sketch    []byte
	Words     int
	// Shared is how many keys it shares with the new text (a hint for ordering).
	Shared int
}

// Match is the verdict on the best candidate.
type Match struct {
	ArticleID  int64
	Similarity float64
	// Upgrade: the new text contains the stored one and is longer, so the
	// stored text was a trimmed copy and should be replaced by the new one.
	Upgrade bool
}
