package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// render writes the text of the chosen element: one paragraph per block,
// separated by a blank line, without furniture, link-list blocks, the
// headline, or repeated paragraphs.
func (p *page) render(root int, inBoiler []bool) string {
	return joinParagraphs(p.paragraphs(root, inBoiler, nil, make(map[string]bool)))
}

// paragraphs appends the paragraphs of the element root to paras, skipping
// those already seen.
func (p *page) paragraphs(root int, inBoiler []bool, paras []paragraph, seen map[string]bool) []paragraph {
	skip := p.pruned(root, inBoiler)
	var cur textWriter
	var curTag atom.Atom // block the current line belongs to
	curBlock := -1       // and its record
	flush := func() {
		// A repeated line is looked up without copying it out.
		if cur.Len() == 0 || seen[string(cur.b)] {
			cur.Reset()
			return
		}
		s := cur.String()
		cur.Reset()
		if isCopyrightLine(s) {
			return
		}
		seen[s] = true
		para := paragraph{text: s, tag: curTag, block: curBlock}
		if curBlock >= 0 {
			e := &p.elems[curBlock]
			para.linked = e.ownLink*4 >= e.ownText
		}
		paras = append(paras, para)
	}
	type frame struct {
		n     *html.Node
		exit  bool
		mute  bool // text here belongs to a dropped block
		block bool
	}
	stack := []frame{{n: p.elems[root].n}}
	next := root
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.n
		if f.exit {
			if f.block {
				flush()
				curTag, curBlock = 0, -1
			}
			continue
		}
		switch n.Type {
		case html.TextNode:
			if !f.mute {
				cur.write(n.Data)
			}
			continue
		case html.ElementNode:
		default:
			continue
		}
		// Records are in document order and render walks in document
		// order too, visiting exactly the elements analyse recorded (it
		// skips the same invisible ones), so a cursor finds each record.
		if isInvisible(n.DataAtom) {
			continue
		}
		idx := next
		next++
		if skip[idx] {
			next = idx + int(p.elems[idx].size)
			continue
		}
		if n.DataAtom == atom.Br {
			flush()
			continue
		}
		// A table row reads as one line: its cells are separated by a space.
		cell := n.DataAtom == atom.Td || n.DataAtom == atom.Th
		if cell {
			cur.pendSpace = true
		}
		block := !isInline(n.DataAtom) && !cell
		mute := f.mute
		if block {
			flush()
			e := &p.elems[idx]
			mute = e.ownLink*2 > e.ownText || n.DataAtom == atom.H1
			curTag, curBlock = n.DataAtom, idx
		}
		stack = append(stack, frame{n: n, exit: true, block: block})
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{n: c, mute: mute})
		}
	}
	flush()
	return paras
}

type paragraph struct {
	text  string
	tag   atom.Atom // element the paragraph came from
	block int       // its record, -1 when unknown
	// linked: a quarter or more of the block's own text is link text.
	linked bool
}

func (p paragraph) heading() bool { return isHeading(p.tag) }

// joinParagraphs joins the paragraphs with blank lines, leaving out
// headings with nothing under them: their section was furniture (a
// "further reading" list) that pruning removed.
func joinParagraphs(paras []paragraph) string {
	paras = trimHead(trimTail(paras))
	var out strings.Builder
	size := 0
	for _, p := range paras {
		size += len(p.text) + 2
	}
	out.Grow(size)
	for i, p := range paras {
		if p.heading() && (i+1 == len(paras) || paras[i+1].heading()) {
			continue
		}
		if out.Len() > 0 {
			out.WriteString("\n\n")
		}
		out.WriteString(p.text)
	}
	return out.String()
}

// pruned marks the elements inside root that are left out: furniture, and
// containers that by their numbers are link lists or label collections.
func (p *page) pruned(root int, inBoiler []bool) []bool {
	skip := make([]bool, len(p.elems))
	series := p.pictureSeries(root)
	for i := root + 1; i < len(p.elems); i++ {
		e := &p.elems[i]
		if e.parent < int32(root) || e.parent >= 0 && skip[e.parent] {
			// Either outside root's subtree (records are in document
			// order, so the subtree is contiguous) or inside a pruned box.
			if e.parent < int32(root) {
				break
			}
			skip[i] = true
			continue
		}
		if e.boiler || !p.keepCaptions && (isCaption(e.n) || isPictureBox(e) && !series[e.parent-int32(root)]) {
			skip[i] = true
			continue
		}
		// Tables of short cells are data, not labels: judge them by links only.
		if isContainer(e.n.DataAtom) && e.text > 0 && (e.link*2 > e.text || e.weight < 0 && e.n.DataAtom != atom.Table && !p.holdsStandfirst(i)) {
			skip[i] = true
		}
	}
	return skip
}

// holdsStandfirst reports whether the box holds a standfirst set as a
// subheading. Headings weigh nothing, so an article's header box (kicker,
// headline, standfirst, dateline) weighs less than nothing by its labels.
func (p *page) holdsStandfirst(i int) bool {
	for j := i + 1; j < i+int(p.elems[i].size); j++ {
		if isLongSubheading(&p.elems[j]) {
			return true
		}
	}
	return false
}

// pictureSeries marks, by offset from root, the elements below root that
// hold a series of pictures each with its paragraph: the steps of a recipe,
// the entries of a listicle. There the paragraphs are the article, not
// captions.
func (p *page) pictureSeries(root int) []bool {
	end := root + int(p.elems[root].size)
	boxes := make([]int32, end-root)
	for i := root + 1; i < end; i++ {
		e := &p.elems[i]
		if isPictureBox(e) && e.paras == 1 && !e.boiler {
			boxes[e.parent-int32(root)]++
		}
	}
	series := make([]bool, end-root)
	for i, n := range boxes {
		// The boxes must be nearly all the container's text: pictures
		// set between the paragraphs of a story are illustrations.
		series[i] = n >= minSeries && int(n)*10 >= p.elems[root+i].paras*8
	}
	return series
}

// minSeries is how many picture boxes with text in one container make a
// series rather than illustrated text.
const minSeries = 3

// isCaption reports picture captions and credits. They describe the
// picture, not the story, and readers of the stored text have no picture;
// they are left out of the text but do not count against their container.
func isCaption(n *html.Node) bool {
	if n.DataAtom == atom.Figcaption {
		return true
	}
	c := attr(n, "class")
	return c != "" && (strings.Contains(c, "caption") || strings.Contains(c, "credit") || strings.Contains(c, "legend"))
}

// isPictureBox reports a box holding a picture and a line or two of text:
// a caption by layout even when the template does not use <figcaption>.
func isPictureBox(e *elem) bool {
	return e.images > 0 && e.text < 300 && e.paras <= 1 && e.n.DataAtom != atom.P && !isInline(e.n.DataAtom)
}

// trimTail drops the short unpunctuated lines that templates append after
// the last paragraph inside the article box: dates, credits, "follow us",
// permalinks, section labels. An article ends with a sentence.
func trimTail(paras []paragraph) []paragraph {
	paras = trimContacts(paras)
	paras = trimPointers(paras)
	n := len(paras)
	for n > 1 {
		last := paras[n-1]
		// List items and table rows end without a full stop by nature;
		// a date line or a bare web address is a label in any form.
		if isDateLine(last.text) || isAddressLine(last.text) {
			n--
			continue
		}
		if last.tag == atom.Li || last.tag == atom.Tr || last.tag == atom.Dd ||
			utf8.RuneCountInString(last.text) >= tailLabelMax || endsSentence(last.text) {
			break
		}
		n--
	}
	if len(paras)-n > maxLabelRun && oneBlock(paras[n:]) {
		// A long run of short lines set line by line in one block
		// is a list (a ranking, a recipe's ingredients), not a
		// template's trailer, whose lines come in boxes of their own.
		return paras
	}
	return paras[:n]
}

// trimPointers drops the short closing paragraphs that point elsewhere: a
// good share of their text is a link ("More on our website", "Follow us on
// Telegram and Twitter", "Subscribe to our weekly"). The story has ended;
// they address the reader about the site.
func trimPointers(paras []paragraph) []paragraph {
	for k := 0; k < maxPointers && len(paras) > 1; k++ {
		last := paras[len(paras)-1]
		if !last.linked || last.tag == atom.Li || utf8.RuneCountInString(last.text) >= maxPointerLength {
			break
		}
		paras = paras[:len(paras)-1]
	}
	return paras
}

// Closing pointers: at most this many, each shorter than this.
const (
	maxPointers      = 2
	maxPointerLength = 250
)

// maxLabelRun is the most label lines a template puts before or after an
// article; more in a row are the article's own list.
const maxLabelRun = 4

// trimHead drops the short unpunctuated lines before the article's first
// sentence: datelines, author names, kickers.
func trimHead(paras []paragraph) []paragraph {
	for len(paras) > 1 {
		first := paras[0]
		if first.tag == atom.Li || first.tag == atom.Tr || first.tag == atom.Dd || isHeading(first.tag) ||
			utf8.RuneCountInString(first.text) >= headLabelMax || endsSentence(first.text) {
			break
		}
		paras = paras[1:]
	}
	return paras
}

// isDateLine reports a line of a few words with a number in it:
// "Updated on 17.01.2021.", "Page 2 of 3." A sentence has more words.
func isDateLine(s string) bool {
	if len(strings.Fields(s)) > 4 || !strings.ContainsAny(s, "0123456789") {
		return false
	}
	// Few letters too: CJK sentences have no spaces between words.
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters <= maxDateLetters
}

// maxDateLetters is the most letters a date line has ("Aktualisiert am
// 17. Dezember": 23).
const maxDateLetters = 24

// isAddressLine reports a line of a few words one of which is a web
// address: "Permalink https://example.org/p/1".
func isAddressLine(s string) bool {
	words := strings.Fields(s)
	if len(words) > 3 {
		return false
	}
	for _, w := range words {
		if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") {
			return true
		}
	}
	return false
}

// headLabelMax is the length from which an opening line counts as text.
const headLabelMax = 60

// tailLabelMax is the length from which a closing line counts as text
// whatever its punctuation.
const tailLabelMax = 100

// endsSentence reports whether s ends like a sentence: a full stop,
// question or exclamation mark, or a closing quote or bracket after one.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, " \"'”“»«’)]")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '…', '。', '！', '？':
		return true
	}
	return false
}

// isCopyrightLine reports short lines that carry a copyright sign: footer
// banners and picture credits that templates put inside the article box.
func isCopyrightLine(s string) bool {
	return len(s) < 200 && strings.Contains(s, "©")
}

// trimContacts drops the contact block that press releases and some
// articles end with, and all that follows it: a run of short lines (names,
// departments, headings such as "Press contact:") among which are e-mail
// addresses or phone numbers. Such lines address the press, not the reader
// of the story, and what a release puts after them (the issuer's profile,
// links to its press kit, a disclaimer) is the issuer's furniture. The
// block is looked for in the second half of the text only, and what
// follows it must be shorter than what precedes it: the story comes first.
func trimContacts(paras []paragraph) []paragraph {
	total := 0
	for _, p := range paras {
		total += len(p.text)
	}
	before := 0
	for i := 0; i < len(paras); i++ {
		if before*2 < total || !isContact(paras[i]) {
			before += len(paras[i].text)
			continue
		}
		lo, hi, contacts, short := contactBlock(paras, i)
		if hi < len(paras) {
			// Text follows: only short contact lines (a name, a
			// number) count, not a sentence that gives an address.
			contacts = short
		}
		after := 0
		for _, p := range paras[hi:] {
			after += len(p.text)
		}
		// A block names someone to contact at least twice (phone,
		// e-mail), and the details are a good share of its lines; a
		// single phone number is a call for witnesses or a hotline,
		// part of the story.
		if lo > 0 && contacts >= 2 && contacts*5 >= hi-lo && after*2 < total {
			return paras[:issuerProfile(paras, lo, hi)]
		}
		for _, p := range paras[i:hi] {
			before += len(p.text)
		}
		i = hi - 1
	}
	return paras
}

// issuerProfile returns where the section just before a press release's
// contact block [lo, hi) starts when it is the issuer's profile ("About
// Acme" or "Über die DLG", then a paragraph or three on Acme or the DLG),
// else lo. The profile is told by its form, not its words: a short title
// line, and a name from the title (a capitalised word after its first)
// that the section's first paragraph opens with and the contact block
// names too (the issuer's name, its e-mail or web domain).
func issuerProfile(paras []paragraph, lo, hi int) int {
	var contact strings.Builder
	for _, p := range paras[lo:hi] {
		contact.WriteString(strings.ToLower(p.text))
		contact.WriteByte('\n')
	}
	for k := lo - 2; k >= 1 && k >= lo-1-maxProfileParas; k-- {
		title := paras[k].text
		words := strings.Fields(title)
		if len(words) < 2 || len(words) > maxProfileTitleWords || endsSentence(title) {
			continue
		}
		opening := strings.Fields(paras[k+1].text)
		if len(opening) > profileOpening {
			opening = opening[:profileOpening]
		}
		for _, w := range words[1:] {
			w = strings.Trim(w, ":")
			if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
				continue
			}
			for _, o := range opening {
				if strings.Trim(o, ",.:;()") == w && strings.Contains(contact.String(), strings.ToLower(w)) {
					return k
				}
			}
		}
		return lo
	}
	return lo
}

// Profile bounds: paragraphs under its title, words in the title, and the
// opening words of its first paragraph searched for the title's name.
const (
	maxProfileParas      = 3
	maxProfileTitleWords = 6
	profileOpening       = 6
)

// contactBlock returns the run of short lines around the contact line at
// paras[i], as [lo, hi), the contact lines in it and how many of those are
// shorter than tailLabelMax.
func contactBlock(paras []paragraph, i int) (lo, hi, contacts, short int) {
	lo, hi = i, i
	for hi < len(paras) && hi-lo < maxContactBlock {
		p := paras[hi]
		c := isContact(p)
		if !c && utf8.RuneCountInString(p.text) >= tailLabelMax {
			break
		}
		if c {
			contacts++
			if utf8.RuneCountInString(p.text) < tailLabelMax {
				short++
			}
		}
		hi++
	}
	for lo > 1 && hi-lo < maxContactBlock && !isContact(paras[lo-1]) &&
		utf8.RuneCountInString(paras[lo-1].text) < tailLabelMax && !endsSentence(paras[lo-1].text) {
		lo--
	}
	return lo, hi, contacts, short
}

// isContact reports a contact line; rows and preformatted lines are data
// (results, timetables), whatever digits they hold.
func isContact(p paragraph) bool {
	return p.tag != atom.Tr && p.tag != atom.Pre && isContactLine(p.text)
}

// maxContactBlock bounds the lines of a contact block.
const maxContactBlock = 16

// isContactLine reports a short line that holds an e-mail address or a
// phone number.
func isContactLine(s string) bool {
	if len(s) > 3*tailLabelMax {
		return false
	}
	return hasEmail(s) || hasPhone(s)
}

// hasEmail reports text like name@host.tld.
func hasEmail(s string) bool {
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '@')
		if i < 0 {
			return false
		}
		i += off
		if i > 0 && isWordByte(lower(s[i-1])) {
			host := s[i+1:]
			if j := strings.IndexAny(host, " ,;)>"); j >= 0 {
				host = host[:j]
			}
			host = strings.TrimRight(host, ".")
			if k := strings.LastIndexByte(host, '.'); k > 0 && k < len(host)-2 {
				return true
			}
		}
		off = i + 1
	}
}

// hasPhone reports a run of at least nine digits set with the spaces,
// slashes, dashes, dots and brackets phone numbers are written with. Dates
// have eight digits at most.
func hasPhone(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits >= 9 {
				return true
			}
		case c == ' ' || c == '/' || c == '-' || c == '(' || c == ')' || c == '+' || c == '.':
		default:
			digits = 0
		}
	}
	return false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// oneBlock reports whether the paragraphs all come from one element.
func oneBlock(paras []paragraph) bool {
	for _, p := range paras {
		if p.block < 0 || p.block != paras[0].block {
			return false
		}
	}
	return true
}
