package extract

import (
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/htmlcost"
	"golang.org/x/net/html"
)

// ErrNoContent is returned when a page has no text that could be an article.
var ErrNoContent = errors.New("extract: no article text found")

// Options tune one extraction.
type Options struct {
	URL   *url.URL // page URL: resolves relative canonical links, selects per-site rules
	Rules *Rules   // optional per-site rules
	// KeepCaptions keeps picture captions and credits in the text. Off by
	// default: on the extraction-dev corpus, annotators count captions as
	// boilerplate seven times as often as article text.
	KeepCaptions bool
	// Admit, when set, is called with the nodes the page's tree will have
	// (htmlcost) and its size before it is parsed, and the release it
	// returns once the extraction is done: a caller extracting many pages
	// at once can hold them to a memory budget.
	Admit func(nodes, size int) (release func(), err error)
}

// Result is the article found in a page.
type Result struct {
	Title, Author, SiteName, Language, CanonicalURL, Description string
	Published                                                    *time.Time
	// Text holds the body: paragraphs separated by one blank line ("\n\n"),
	// no leading or trailing space.
	Text string
}

// Extract returns the article in an HTML page. html must already be UTF-8
// (decode legacy charsets with worker/charset.Decode first); invalid bytes and
// NUL are dropped. Metadata is returned even when no body is found, together
// with ErrNoContent.
func Extract(page []byte, o Options) (*Result, error) {
	doc, release, err := parseStripped(page, o.Admit)
	if err != nil {
		return nil, fmt.Errorf("extract: parse html: %w", err)
	}
	defer release()
	return extractDoc(doc, o)
}

// parseStripped parses the page without the parts stripRaw removes. The
// stripped copy is a scratch buffer, recycled: the parser copies out all
// it keeps.
func parseStripped(page []byte, admit func(nodes, size int) (func(), error)) (*html.Node, func(), error) {
	buf := strippedPages.Get().(*[]byte)
	stripped := appendStripped((*buf)[:0], sanitize(page))
	doc, release, err := parseWithin(stripped, admit)
	if cap(stripped) <= maxRecycledPage {
		*buf = stripped[:0]
		strippedPages.Put(buf)
	}
	return doc, release, err
}

// parseWithin parses a page only once htmlcost has counted the tree it
// will build (which can outgrow the page without bound) and admit has
// made room for it.
func parseWithin(page []byte, admit func(nodes, size int) (func(), error)) (*html.Node, func(), error) {
	release := func() {}
	nodes, err := htmlcost.Default.Cost(page)
	if err == nil && admit != nil {
		release, err = admit(nodes, len(page))
	}
	if err != nil {
		return nil, nil, err
	}
	doc, err := parse(page)
	if err != nil {
		release()
		return nil, nil, err
	}
	return doc, release, nil
}

// maxRecycledPage bounds the scratch buffers kept for reuse, so that one
// huge page is not held on to for the next small ones.
const maxRecycledPage = 2 << 20

// strippedPages recycles stripRaw's output. A sync.Pool is a cache, not
// state: any buffer in it is as good as a new one.
var strippedPages = sync.Pool{New: func() any { return new([]byte) }}

func extractDoc(doc *html.Node, o Options) (*Result, error) {
	var rule *siteRule
	if o.Rules != nil && o.URL != nil {
		rule = o.Rules.forHost(o.URL.Hostname())
	}
	if rule != nil {
		rule.drop(doc)
	}
	p := analyse(doc)
	defer p.release()
	p.keepCaptions = o.KeepCaptions
	r := &Result{}
	p.meta.resolve(r, o.URL)
	if rule != nil && len(rule.Keep) > 0 {
		r.Text = rule.keep(doc)
	} else {
		r.Text = p.bodyText()
	}
	if r.Text == "" {
		// Pages rendered by script carry no body in their HTML; the
		// structured data or the description is the best left.
		r.Text = firstNonEmpty(p.meta.ld.body, r.Description)
	}
	if r.Text == "" {
		return r, ErrNoContent
	}
	if r.Language == "" {
		r.Language = guessLanguage(r.Text)
	}
	return r, nil
}

// bodyText finds the article element and renders it.
func (p *page) bodyText() string {
	in := p.inheritBoiler()
	best := p.best(in)
	if best < 0 && p.unhint() {
		in = p.inheritBoiler()
		best = p.best(in)
	}
	if best < 0 {
		return ""
	}
	// The lead and the body share one duplicate filter: templates often
	// repeat the standfirst as the body's first paragraph.
	seen := make(map[string]bool)
	var paras []paragraph
	for _, j := range p.lead(best, in) {
		paras = p.paragraphs(j, in, paras, seen)
	}
	for _, j := range p.parts(best, in) {
		paras = p.paragraphs(j, in, paras, seen)
	}
	return joinParagraphs(paras)
}
