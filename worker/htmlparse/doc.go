// Package htmlparse is golang.org/x/net/html's tree builder with a budget:
// it builds the same *html.Node tree as html.Parse, node for node, while
// counting the nodes and attributes it creates (reopened formatting
// elements and the adoption agency's clones included), and stops with a
// *TooComplexError the moment the tree passes its Limits. x/net/html can
// build a tree far larger than the page: every text run reopens the
// formatting elements (<i>, <b>, <a>…) that a block closed, so
// "<p><i>x" repeated builds several elements per seven bytes, and the same
// with distinct attributes builds a number of attributes that grows with
// the square of the page. Counting as it builds makes the count exact by
// construction and costs nothing, where a count before the parse would
// tokenize every page twice. A Room lets a caller hold the parse to a
// memory budget shared with other parses, grown as the tree grows
// (Limits.Within).
//
// # What is copied, and how to re-sync
//
// parse.go, foreign.go, const.go, doctype.go, token.go, escape.go and
// entity.go are x/net/html's, and node.go holds the parser's private parts
// of x/net/html's node.go (the scope marker, the stacks, clone), all from
// golang.org/x/net v0.62.0 (the version go.mod requires;
// TestForkIsOfTheRequiredXNet fails when they differ), under the BSD
// licence in LICENSE. The parser builds html.Node values from html.Token
// values, whose fields are all exported, so the copy works with the real
// package's types: goquery, html.Render and the rest take its trees
// unchanged.
//
// The tokenizer (token.go, with escape.go's unescaping and the entities)
// is copied to read a document held in memory: x/net/html's reads an
// io.Reader through a buffer it refills and copies, byte by byte, and
// allocates every string of every token. The copy reads the page in
// place, finds the end of a text run, a script or a quoted value with one
// IndexByte, makes one string of the whole page and cuts from it the
// token strings that need no change (no entity, no \r, no NUL, no upper
// case to fold), and cuts the tokens' attributes from a few shared slices.
// So a tree's strings share the page's string: the tree holds the page's
// bytes (once, markup included) where it held copies of its text and
// values, about 5% more on the corpus pages; Admit is given the page's
// size beside the nodes, and the pipeline's budget weighs both. A string
// taken from the tree into anything that outlives it must be copied, or
// it holds the whole page (extract's Result.own).
// TestSameTokensAsXNet and FuzzSameTokens compare its tokens, raw bytes
// and stop past a token limit with x/net/html's tokenizer's.
//
// resync.sh makes the mechanical part of the copy into a directory: the
// files copied, the package renamed, package html's names qualified (Node
// → html.Node, NewTokenizer → html.NewTokenizer…) and the copied Tokenizer
// renamed to the private tokenizer. Every other change is marked
// "wiresift:" in the copied files: nodes and attributes counted where they
// are created (and nodes cut from slabs, parser.node), the scope marker's
// private NodeType, clone as a function, the depth refusal as ErrTooDeep,
// the tokenizer's ErrBufferExceeded as a refusal, the exported entry
// points left out, the tokenizer's input in memory and its strings cut
// from the page (above), and one fix: copyAttributes keeps the keys of the
// html and body elements from one call to the next instead of rebuilding
// them at every <body x>, which made a 700 kB page cost 25 s of CPU in
// html.Parse (the tree is the same). To re-sync with a new x/net: run
// resync.sh on the old version and diff it against this package (that
// diff is the wiresift changes), run it on the new version, apply the
// diff, and run the tests (the differential tests compare the trees with
// html.Parse's, and the tokens with x/net/html's tokenizer's).
//
// budget.go, limits.go and text.go are wiresift's own.
package htmlparse
