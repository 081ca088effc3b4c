// Package extracteval scores article extraction against a snippet corpus
// (../shared/corpus/extraction-dev) exactly as the corpus README defines it:
// each "with" snippet found in the text is a true positive, each one missing a
// false negative, each "without" snippet found a false positive; counts are
// pooled over pages. It also breaks the score down by page (sorted by loss)
// and by the page's language, the tools for finding what extraction misses.
// The report is a test:
//
//	go test ./worker/internal/extracteval -run TestCorpusReport -v
package extracteval
