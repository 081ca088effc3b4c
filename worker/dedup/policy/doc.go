// Package policy is wiresift's deduplication policy in one place: the keys an
// article is looked up by (Keys, TextKeys, URLKeys) and the decision that
// folds a new copy into a stored article or keeps it apart (Decide), over a
// small Index that each store implements on its own transaction.
//
// It sits beside package dedup rather than inside it: dedup is the pure
// measure of whether two texts are one story (no context, no archive, its
// own golden files and benchmarks), while policy says which keys are facts,
// which are claims, in what order the layers run and which copy's page
// represents a story. The store keeps transactions and writes.
package policy
