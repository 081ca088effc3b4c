package feed

import (
	"bytes"
	"errors"
	"fmt"
)

// Limits on one feed document, checked by a byte scan before gofeed builds
// anything: gofeed keeps every element of the document (extension elements
// as nested maps), about a kilobyte each, so the count and depth of
// elements, not the bytes, decide what a parse costs.
const (
	// MaxItems is the most items read from one document. A feed with more
	// is cut after the first MaxItems (Feed.Unread counts the rest).
	MaxItems = 10_000
	// MaxDepth is how deep elements (or JSON objects and arrays) may nest.
	// Real feeds nest under ten; XHTML content a few levels more.
	MaxDepth = 64
	// MaxElements is the most elements (JSON: objects, arrays and keys) in
	// the part of a document that is read.
	MaxElements = 200_000
)

// docLimits are the limits bound applies; tests and the fuzzer use small ones.
type docLimits struct{ items, depth, elements int }

var defaultLimits = docLimits{items: MaxItems, depth: MaxDepth, elements: MaxElements}

// ErrTooComplex is wrapped when a feed passes MaxDepth or MaxElements; the
// error names the limit and the line.
var ErrTooComplex = errors.New("feed too complex")

// bound returns the part of text that is parsed: all of it, or, past
// MaxItems, the document cut after the last item kept and closed again, with
// how many items were left out.
func bound(text []byte) ([]byte, Shape, int, error) { return defaultLimits.bound(text) }

func (lim docLimits) bound(text []byte) ([]byte, Shape, int, error) {
	i := 0
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
		i++
	}
	if i < len(text) && (text[i] == '{' || text[i] == '[') {
		return lim.boundJSON(text)
	}
	return lim.boundXML(text)
}

func tooComplex(text []byte, at int, format string, args ...any) error {
	line := bytes.Count(text[:at], []byte("\n")) + 1
	return fmt.Errorf("%w: %s (line %d)", ErrTooComplex, fmt.Sprintf(format, args...), line)
}

// closing ends, in reverse order, the elements still open where a document
// is cut.
func closing(cut []byte, open []string, suffix func(string) string) []byte {
	out := make([]byte, 0, len(cut)+64)
	out = append(out, cut...)
	for i := len(open) - 1; i >= 0; i-- {
		out = append(out, suffix(open[i])...)
	}
	return out
}
