package htmlcost

import (
	"bytes"
	"errors"
	"hash/maphash"
	"io"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// implied counts the document and the html, head and body elements that
// every parse builds, written or not.
const implied = 4

// maxStack is the parser's own bound on open elements (it refuses deeper
// documents, and extract then flattens them).
const maxStack = 512

// formatting is an entry of the parser's list of active formatting
// elements; open is whether it is on the stack of open elements now.
type formatting struct {
	tag    atom.Atom
	attrs  uint64 // hash of the attributes: Noah's Ark compares them
	open   bool
	marker bool
}

// element is an open element; fmt is its formatting entry, if any.
type element struct {
	tag atom.Atom
	fmt *formatting
}

// replay is the part of the tree builder that decides how many nodes exist.
type replay struct {
	lim   Limits
	nodes int
	attrs int
	stack []element
	list  []*formatting
	seed  maphash.Seed

	offset  int // bytes of the page tokenized so far
	foreign int // <svg> and <math> elements open, as far as end tags say
	points  int // integration points open in it (foreignObject, mi…)
	last    atom.Atom

	overflow bool // the stack passed maxStack: html.Parse fails here
	flat     bool // replaying extract's flattened second parse
	depth    int  // tag depth as flatten counts it
}

// Check tokenizes page and refuses it with a *TooComplexError when parsing
// it would pass lim. Its own memory is bounded by lim.Token and the
// parser's stack depth, whatever the page.
func (lim Limits) Check(page []byte) error {
	_, err := lim.Cost(page)
	return err
}

// Cost is Check that also returns the count of nodes the parser would
// build, for a caller that weighs documents before parsing them.
func (lim Limits) Cost(page []byte) (int, error) {
	lim.Nodes = lim.nodesFor(len(page))
	return lim.count(page)
}

// count replays the parse. A page nested past the parser's stack makes
// html.Parse fail; extract then parses it again flattened (tags deeper than
// flattenDepth dropped), so the count is the larger of the two replays.
func (lim Limits) count(page []byte) (int, error) {
	seed := maphash.MakeSeed()
	r := &replay{lim: lim, nodes: implied, seed: seed}
	err := lim.run(r, page)
	if err != nil || !r.overflow {
		return r.nodes, err
	}
	flat := &replay{lim: lim, nodes: implied, seed: seed, flat: true}
	err = lim.run(flat, page)
	return max(r.nodes, flat.nodes), err
}

func (lim Limits) run(r *replay, page []byte) error {
	z := html.NewTokenizer(bytes.NewReader(page))
	z.SetMaxBuf(lim.Token)
	for {
		tt := z.Next()
		r.offset += len(z.Raw())
		if r.flat && r.dropped(z, tt) {
			continue
		}
		var err error
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), html.ErrBufferExceeded) {
				return &TooComplexError{What: "token bytes", Limit: lim.Token}
			}
			if z.Err() == io.EOF {
				return nil
			}
			return nil // the parser stops where the tokenizer does
		case html.TextToken:
			err = r.text()
		case html.StartTagToken, html.SelfClosingTagToken:
			err = r.start(z, tt == html.SelfClosingTagToken)
			if err == nil && tt == html.StartTagToken {
				err = r.rawInForeign(page[r.offset:])
			}
		case html.EndTagToken:
			tag := tagAtom(z)
			switch {
			case (tag == atom.Svg || tag == atom.Math) && r.foreign > 0:
				r.foreign--
			case isIntegrationPoint(tag) && r.points > 0:
				r.points--
			}
			err = r.end(tag)
		default: // comment, doctype
			err = r.add(1)
		}
		if err != nil {
			return err
		}
	}
}

// flattenDepth is extract's maxNesting: how deep a page that was too deep
// for the parser is let nest on its second parse.
const flattenDepth = 256

// dropped tracks tag depth as extract's flatten does and reports the tags
// that flatten removes.
func (r *replay) dropped(z *html.Tokenizer, tt html.TokenType) bool {
	switch tt {
	case html.StartTagToken:
		if tag := tagAtom(z); isVoid(tag) && tag != atom.Keygen {
			return false
		}
		r.depth++
		return r.depth > flattenDepth
	case html.EndTagToken:
		r.depth--
		if r.depth >= flattenDepth {
			return true
		}
		r.depth = max(r.depth, 0)
	}
	return false
}

// Nodes is how many nodes the parser would build for page, as Check counts
// them (an upper bound of html.Parse's count on every shape in the tests).
func Nodes(page []byte) int {
	lim := Limits{Nodes: int(^uint(0) >> 1), Attrs: int(^uint(0) >> 1), Token: 64 << 20}
	n, _ := lim.count(page)
	return n
}

func (r *replay) add(n int) error {
	r.nodes += n
	if r.nodes > r.lim.Nodes {
		return &TooComplexError{What: "nodes", Limit: r.lim.Nodes}
	}
	return nil
}

func (r *replay) text() error {
	if err := r.reconstruct(); err != nil {
		return err
	}
	return r.add(1)
}

func (r *replay) start(z *html.Tokenizer, selfClosing bool) error {
	raw := z.Raw()
	r.attrs += countAttrs(raw)
	var attrs uint64
	tag := tagAtom(z)
	r.last = tag
	if isFormatting(tag) {
		// Noah's Ark compares attributes; comparing the raw tag instead
		// only ever finds fewer elements alike, so counts more nodes.
		attrs = maphash.Bytes(r.seed, raw)
	}
	if r.attrs > r.lim.Attrs {
		return &TooComplexError{What: "attributes", Limit: r.lim.Attrs}
	}
	if closesP(tag) {
		r.popTo(atom.P, true)
	}
	// Start tags that end an element of their kind still open.
	switch tag {
	case atom.Td, atom.Th, atom.Tr:
		r.popTo(atom.Td, true)
		r.popTo(atom.Th, true)
		if tag == atom.Tr {
			r.popTo(atom.Tr, true)
		}
	case atom.Dd, atom.Dt:
		r.popTo(atom.Dd, true)
		r.popTo(atom.Dt, true)
	case atom.Li, atom.Option:
		r.popTo(tag, true)
	}
	if tag == atom.A || tag == atom.Nobr {
		// A new <a> first ends an open one, as the parser does.
		if r.inList(tag) != nil {
			if err := r.end(tag); err != nil {
				return err
			}
		}
	}
	if !noReconstruct(tag) {
		if err := r.reconstruct(); err != nil {
			return err
		}
	}
	n := 1
	switch tag {
	case atom.Tr, atom.Td, atom.Th, atom.Col:
		n++ // the tbody, tr or colgroup the parser adds around it
	}
	if err := r.add(n); err != nil {
		return err
	}
	// "/>" closes only void elements (and foreign ones, which are never
	// formatting); <i/> opens an <i> like <i> does.
	if isVoid(tag) || selfClosing && !isFormatting(tag) {
		return nil
	}
	e := element{tag: tag}
	switch {
	case isFormatting(tag):
		e.fmt = r.pushFormatting(tag, attrs)
	case isMarker(tag):
		r.list = append(r.list, &formatting{marker: true})
	}
	r.push(e)
	return nil
}

func (r *replay) push(e element) {
	if len(r.stack) >= maxStack {
		// html.Parse fails here, and extract parses the page again
		// flattened (see count); this replay goes on counting, taking the
		// element as open so that it is not reopened at every tag.
		r.overflow = true
		if e.fmt != nil {
			e.fmt.open = true
		}
		return
	}
	if e.fmt != nil {
		e.fmt.open = true
	}
	r.stack = append(r.stack, e)
}

// pushFormatting adds an entry, keeping at most three identical ones after
// the last marker (the parser's "Noah's Ark" clause).
func (r *replay) pushFormatting(tag atom.Atom, attrs uint64) *formatting {
	same, first := 0, -1
	for i := len(r.list) - 1; i >= 0 && !r.list[i].marker; i-- {
		if f := r.list[i]; f.tag == tag && f.attrs == attrs {
			same++
			first = i
		}
	}
	if same >= 3 {
		r.list = append(r.list[:first], r.list[first+1:]...)
	}
	f := &formatting{tag: tag, attrs: attrs}
	r.list = append(r.list, f)
	return f
}

// reconstruct reopens every formatting element after the last marker that
// is no longer open: one new element each.
func (r *replay) reconstruct() error {
	i := len(r.list)
	for i > 0 && !r.list[i-1].marker && !r.list[i-1].open {
		i--
	}
	if err := r.add(len(r.list) - i); err != nil {
		return err
	}
	for _, f := range r.list[i:] {
		r.push(element{tag: f.tag, fmt: f})
	}
	return nil
}

// inList is the last formatting entry for tag after the last marker.
func (r *replay) inList(tag atom.Atom) *formatting {
	for i := len(r.list) - 1; i >= 0 && !r.list[i].marker; i-- {
		if r.list[i].tag == tag {
			return r.list[i]
		}
	}
	return nil
}

func (r *replay) end(tag atom.Atom) error {
	if isFormatting(tag) {
		if f := r.inList(tag); f != nil {
			// The adoption agency clones the elements it moves: at most
			// eight outer rounds of three, counted as the stack above it.
			above := 0
			for i := len(r.stack) - 1; i >= 0 && r.stack[i].fmt != f; i-- {
				above++
			}
			if err := r.add(min(above, 8*4)); err != nil {
				return err
			}
			r.remove(f)
			r.popTo(tag, false)
			return nil
		}
	}
	if tag == atom.Br {
		return r.add(1) // </br> is read as <br>
	}
	if !r.popTo(tag, !isFormatting(tag)) && tag == atom.P {
		return r.add(1) // </p> without <p> makes an empty p
	}
	return nil
}

func (r *replay) remove(f *formatting) {
	for i, g := range r.list {
		if g == f {
			r.list = append(r.list[:i], r.list[i+1:]...)
			return
		}
	}
}

// popTo closes the innermost open tag and everything opened after it, and
// reports whether there was one. stopAtSpecial ends the search at the
// elements that bound an end tag's reach.
func (r *replay) popTo(tag atom.Atom, stopAtScope bool) bool {
	for i := len(r.stack) - 1; i >= 0; i-- {
		if r.stack[i].tag == tag {
			for _, e := range r.stack[i:] {
				if e.fmt != nil {
					e.fmt.open = false
				}
				if isMarker(e.tag) {
					r.clearToMarker()
				}
			}
			r.stack = r.stack[:i]
			return true
		}
		if stopAtScope && isScope(r.stack[i].tag) {
			return false
		}
	}
	return false
}

func (r *replay) clearToMarker() {
	for len(r.list) > 0 {
		last := r.list[len(r.list)-1]
		r.list = r.list[:len(r.list)-1]
		if last.marker {
			return
		}
	}
}

// tagAtom is the current tag token's name as an atom (0 for a name that is
// none), read from the raw tag: TagName would copy the name for each tag.
// The name is what the tokenizer's readTagName takes, from the first letter
// after "<" or "</" to a space, '/' or '>', lower-cased in ASCII only.
func tagAtom(z *html.Tokenizer) atom.Atom {
	raw := z.Raw()
	i := 1
	if len(raw) > 1 && raw[1] == '/' {
		i = 2
	}
	if len(raw) <= i || raw[0] != '<' {
		name, _ := z.TagName() // not a tag as Next makes them; ask the tokenizer
		return atom.Lookup(name)
	}
	var buf [32]byte // longer than any atom
	n := 0
	for ; i < len(raw); i++ {
		c := raw[i]
		if isSpace(c) || c == '/' || c == '>' {
			break
		}
		if n == len(buf) {
			return 0
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return atom.Lookup(buf[:n])
}

// countAttrs counts the attributes of a raw start tag as the tokenizer's
// readTag splits them (a key, then maybe "=" and a value), without its
// copies. A quote opens a value only right after "=": in <a b"c d> the
// tokenizer reads two keys. Keys it drops as repeated are counted, so the
// count is never below what the parser keeps.
func countAttrs(raw []byte) int {
	i := 1
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
		i++ // the tag name
	}
	n := 0
	for i = skipSpace(raw, i); i < len(raw) && raw[i] != '>'; i = skipSpace(raw, i) {
		start := i
		for i < len(raw) {
			c := raw[i]
			if (c == '=' && i > start) || isSpace(c) || c == '/' || c == '>' {
				break // an "=" that starts a key is part of it
			}
			i++
		}
		if i > start {
			n++
		}
		i = skipSpace(raw, i)
		if i >= len(raw) {
			break
		}
		switch raw[i] {
		case '/':
			i++
			continue
		case '=':
			i++
		default:
			continue
		}
		i = skipSpace(raw, i)
		if i >= len(raw) {
			break
		}
		switch q := raw[i]; q {
		case '>':
		case '"', '\'':
			if j := bytes.IndexByte(raw[i+1:], q); j >= 0 {
				i += j + 2
			} else {
				i = len(raw)
			}
		default:
			for i < len(raw) && raw[i] != '>' {
				i++
				if isSpace(raw[i-1]) {
					break
				}
			}
		}
	}
	return n
}

func skipSpace(raw []byte, i int) int {
	for i < len(raw) && isSpace(raw[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// rawInForeign guards the one place where the tokenizer alone cannot tell
// what the parser will see: inside <svg> or <math> the parser reads <title>,
// <style>, <script>… as markup, elsewhere as raw text up to their end tag.
// When the content up to that end tag holds no '<', both readings give the
// same tokens; otherwise the page is refused rather than counted one way
// and parsed the other. Foreign content is counted from a start tag to its
// end tag, which is never shorter than the parser's own.
func (r *replay) rawInForeign(rest []byte) error {
	tag := r.last
	switch {
	case tag == atom.Svg || tag == atom.Math:
		r.foreign++
		return nil
	case r.foreign > 0 && isIntegrationPoint(tag):
		r.points++
		return nil
	case r.foreign > 0 && r.points == 0 && breaksOut(tag):
		// Outside any integration point, the parser pops every foreign
		// element to handle this tag as HTML.
		r.foreign = 0
		return nil
	}
	switch tag {
	case atom.Iframe, atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext,
		atom.Script, atom.Style, atom.Textarea, atom.Title, atom.Xmp:
	default:
		return nil
	}
	if r.foreign == 0 {
		return nil
	}
	i := bytes.IndexByte(rest, '<')
	if i < 0 {
		return nil
	}
	end := rest[i:]
	name := tag.String()
	if tag != atom.Plaintext && len(end) > len(name)+2 && end[1] == '/' &&
		bytes.EqualFold(end[2:2+len(name)], []byte(name)) {
		switch end[2+len(name)] {
		case ' ', '\t', '\n', '\r', '\f', '/', '>':
			return nil
		}
	}
	return &TooComplexError{What: "markup in <" + name + "> inside svg or math"}
}
