package htmlparse

import (
	"errors"
	"fmt"
)

// ErrTooComplex is wrapped by every refusal of a document past its Limits.
var ErrTooComplex = errors.New("html too complex")

// ErrTooDeep is the parser's refusal of a document nested deeper than 512
// open elements (x/net/html's own bound); extract flattens such pages and
// parses them again.
var ErrTooDeep = errors.New("html: open stack of elements exceeds 512 nodes")

// ErrNoRoom stops a parse whose Room could not grow for the nodes it was
// building; Within then waits for room for the whole budget and parses
// again.
var ErrNoRoom = errors.New("htmlparse: no room for the tree to grow")

// Limits bound one document's parse. The defaults hold every page of the
// extraction and dedup corpora with room to spare (see the corpus test).
type Limits struct {
	// Nodes is the most nodes (elements, text runs, comments) the parser
	// may build, reopened and cloned formatting elements included. A
	// document over LargeFrom bytes may build one node per BytesPerNode of
	// its size instead, when that is more.
	Nodes, LargeFrom, BytesPerNode int
	// Attrs is the most attributes in the tree, those of cloned elements
	// included.
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

// NodesFor is the node budget of a document of size bytes.
func (lim Limits) NodesFor(size int) int {
	if lim.BytesPerNode > 0 && size > lim.LargeFrom {
		return max(lim.Nodes, size/lim.BytesPerNode)
	}
	return lim.Nodes
}

// TooComplexError says which limit a document passed.
type TooComplexError struct {
	What  string // "nodes", "attributes" or "token bytes"
	Limit int
}

func (e *TooComplexError) Error() string {
	return fmt.Sprintf("%v: over %d %s", ErrTooComplex, e.Limit, e.What)
}

func (e *TooComplexError) Unwrap() error { return ErrTooComplex }
