package htmlparse

import (
	"errors"

	"golang.org/x/net/html"
)

// Room is memory held for one parse's tree, counted in nodes, and for what
// is made of the tree until Release.
type Room interface {
	// Grow asks, without waiting, for room for nodes nodes in all; it
	// reports false, leaving the room as it was, when there is none now.
	Grow(nodes int) bool
	Release()
}

// Admit waits for room for a tree of nodes nodes parsed from a document of
// size bytes. It must not be called while the caller holds room already.
type Admit func(nodes, size int) (Room, error)

// Parse builds page's tree as x/net/html's Parse does, node for node, and
// stops with a *TooComplexError as soon as the tree passes lim. room, when
// not nil, is grown ahead of the nodes being built; the parse stops with
// ErrNoRoom when it cannot grow.
func (lim Limits) Parse(page []byte, room Room) (*html.Node, error) {
	return parseWithOptions(page, lim.within(len(page), room, 1))
}

// ParseFragment is x/net/html's ParseFragment within lim, as Parse.
func (lim Limits) ParseFragment(page []byte, context *html.Node, room Room) ([]*html.Node, error) {
	return parseFragmentWithOptions(page, context, lim.within(len(page), room, 2))
}

// Within runs parse with room admitted for a document of size bytes, and
// returns the release of that room, to call once the tree is no longer
// needed. The room admitted first is a guess from the size that the parse
// grows as it builds; when it cannot grow (the budget is taken), the room
// is released and, holding nothing, Within waits for room for all the
// nodes lim lets the document build, and parses again. So no parse ever
// waits while it holds memory, and a page parses at most twice. With admit
// nil, parse runs with no room and release does nothing.
func (lim Limits) Within(size int, admit Admit, parse func(Room) error) (release func(), err error) {
	if admit == nil {
		return func() {}, parse(nil)
	}
	room, err := admit(min(lim.guess(size), lim.NodesFor(size)), size)
	if err != nil {
		return nil, err
	}
	err = parse(room)
	if errors.Is(err, ErrNoRoom) {
		room.Release()
		if room, err = admit(lim.NodesFor(size), size); err != nil {
			return nil, err
		}
		err = parse(room)
	}
	if err != nil {
		room.Release()
		return nil, err
	}
	return room.Release, nil
}

// guess is the room first admitted for a document of size bytes: one node
// per guessBytesPerNode bytes, and at least growStep. On the corpora, half
// the pages build one node per 56 bytes or fewer, 99% one per 25 bytes or
// fewer, the densest one per 13 (TestCorpusPagesPass): a page rarely has to
// grow its room, and the pages in flight rarely hold twice what they build.
func (lim Limits) guess(size int) int {
	return max(size/guessBytesPerNode, growStep)
}

const (
	guessBytesPerNode = 24
	// growStep is the fewest nodes a parse asks its room to grow by, so
	// that a large tree asks a few times, not at every node.
	growStep = 4096
)

// budget is what a parse has built and may still build.
type budget struct {
	nodes, attrs       int
	maxNodes, maxAttrs int
	maxToken           int
	room               Room
	reserved           int // nodes room holds; growth is asked past it
}

// within is the option that puts a parse under lim, counting the implied
// nodes that the parse makes before its first token (the document, and a
// fragment's html element).
func (lim Limits) within(size int, room Room, implied int) parseOption {
	return func(p *parser) {
		p.budget = budget{nodes: implied, maxNodes: lim.NodesFor(size), maxAttrs: lim.Attrs, maxToken: lim.Token, room: room}
		if room == nil {
			p.budget.reserved = p.budget.maxNodes
		}
		if lim.Token > 0 {
			p.tokenizer.SetMaxBuf(lim.Token)
		}
	}
}

// stop ends a parse from anywhere inside it, even inside one token's loops
// (reconstructing formatting elements, the adoption agency): parse()
// recovers it and returns its error, as encoding/json stops a decode.
type stop struct{ err error }

// count is called for every node the parser creates: it stops the parse
// past the budget, and grows the room ahead of the tree.
func (p *parser) count(n *html.Node) *html.Node {
	b := &p.budget
	b.nodes++
	if b.nodes > b.maxNodes {
		panic(stop{&TooComplexError{What: "nodes", Limit: b.maxNodes}})
	}
	if b.nodes > b.reserved {
		want := min(max(b.nodes+growStep, b.reserved+b.reserved/4), b.maxNodes)
		if !b.room.Grow(want) {
			panic(stop{ErrNoRoom})
		}
		b.reserved = want
	}
	p.countAttrs(len(n.Attr))
	return n
}

// node is n counted and put in a slot of the parse's node slab: the nodes
// of a tree are allocated a slab at a time, not one by one.
func (p *parser) node(n html.Node) *html.Node {
	if len(p.nodeSlab) == 0 {
		p.nodeSlabSize = min(max(2*p.nodeSlabSize, minNodeSlab), maxNodeSlab)
		p.nodeSlab = make([]html.Node, p.nodeSlabSize)
	}
	slot := &p.nodeSlab[0]
	p.nodeSlab = p.nodeSlab[1:]
	*slot = n
	return p.count(slot)
}

// The node slabs of a parse grow from minNodeSlab nodes, so that a
// fragment of a few nodes does not allocate room for hundreds, to
// maxNodeSlab (about 27 kB), so that a tree holds at most that much
// unused.
const (
	minNodeSlab = 16
	maxNodeSlab = 256
)

// countAttrs counts attributes put in the tree.
func (p *parser) countAttrs(n int) {
	b := &p.budget
	b.attrs += n
	if b.attrs > b.maxAttrs {
		panic(stop{&TooComplexError{What: "attributes", Limit: b.maxAttrs}})
	}
}

// tokenizerError is the error a parse returns for the tokenizer's: a token
// past the budget is a refusal like the others.
func (b *budget) tokenizerError(err error) error {
	if errors.Is(err, html.ErrBufferExceeded) {
		return &TooComplexError{What: "token bytes", Limit: b.maxToken}
	}
	return err
}
