// Package dedupeval scores deduplication decisions against the labels of a
// dedup corpus (../shared/corpus/dedup-dev), exactly as the corpus README
// defines the scoring: pairwise precision, recall and F1 over duplicate pairs,
// lost articles, missed-duplicate clusters, false positives by kind and recall
// per syndication edit. Both the dedup unit evaluation and the end-to-end run
// of the worker use it.
package dedupeval
