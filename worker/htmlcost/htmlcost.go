// Package htmlcost bounds what parsing an HTML document may cost before it
// is parsed. golang.org/x/net/html builds a tree that can be far larger than
// the page: every text run reopens the formatting elements (<i>, <b>, <a>…)
// that a block closed, so "<p><i>x" repeated builds several elements per
// seven bytes, and the same with distinct attributes builds a number that
// grows with the square of the page. Check replays the parser's formatting
// rules over the tokens, counting the nodes it would build, and refuses a
// document past Limits before a single node exists.
package htmlcost

import (
	"errors"
	"fmt"
)

// ErrTooComplex is wrapped by every refusal.
var ErrTooComplex = errors.New("html too complex")

// Limits bound one document. The defaults hold every page of the
// extraction and dedup corpora with room to spare (at most 33,693 nodes;
// see the corpus test).
type Limits struct {
	// Nodes is the most nodes (elements, text runs, comments) the parser
	// may build, reopened formatting elements included. A document over
	// LargeFrom bytes may build one node per BytesPerNode of its size
	// instead, when that is more.
	Nodes, LargeFrom, BytesPerNode int
	// Attrs is the most attributes in the document.
	Attrs int
	// Token is the longest single token (a tag with its attributes, a text
	// run, a JSON-LD script) in bytes; it also bounds what the tokenizer
	// holds for one tag.
	Token int
}

// Default limits. A node costs about 500 bytes from parse to extracted text
// (tree, goquery and extraction tables), so a page within the default 10 MiB
// fetch limit costs at most about 100 MB. Pages over 16 MiB (read by
// `wiresift extract`, or fetched with a raised -max-page-size) may build one
// node per 32 bytes, which ordinary prose (one node per 35 bytes or more)
// stays under.
var Default = Limits{Nodes: 200_000, LargeFrom: 16 << 20, BytesPerNode: 32, Attrs: 200_000, Token: 1 << 20}

// nodesFor is the node budget of a document of size bytes.
func (lim Limits) nodesFor(size int) int {
	if lim.BytesPerNode > 0 && size > lim.LargeFrom {
		return max(lim.Nodes, size/lim.BytesPerNode)
	}
	return lim.Nodes
}

// TooComplexError says which limit a document passed.
type TooComplexError struct {
	What string // "nodes", "attributes", "token bytes", or what was ambiguous
	// Limit is the limit passed, 0 when the page is refused for a shape
	// rather than a count.
	Limit int
}

func (e *TooComplexError) Error() string {
	if e.Limit == 0 {
		return fmt.Sprintf("%v: %s", ErrTooComplex, e.What)
	}
	return fmt.Sprintf("%v: over %d %s", ErrTooComplex, e.Limit, e.What)
}

func (e *TooComplexError) Unwrap() error { return ErrTooComplex }
