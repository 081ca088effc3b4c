package extract

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/htmlparse"
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
	// Admit, when set, holds the page's parse and extraction to a memory
	// budget, for a caller extracting many pages at once: the parse grows
	// the room it admits as the tree grows (htmlparse.Limits.Within), and
	// releases it once the extraction is done.
	Admit htmlparse.Admit
	// ValidUTF8 says the page is already valid UTF-8 without NUL bytes, as
	// charset.Decode returns it: Extract then skips its own scan of the
	// whole page for them.
	ValidUTF8 bool
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
	if !o.ValidUTF8 {
		page = sanitize(page)
	}
	doc, release, err := parseStripped(page, o.Admit)
	if err != nil {
		return nil, fmt.Errorf("extract: parse html: %w", err)
	}
	defer release()
	r, err := extractDoc(doc, o)
	if r != nil {
		r.own()
	}
	return r, err
}

// own gives the result its own copies of its strings. The tree's strings
// are cut from one string of the whole page (htmlparse), so a title or a
// text taken from one node would hold the page's bytes for as long as the
// result lives, past the release of the tree's room.
func (r *Result) own() {
	for _, s := range []*string{&r.Title, &r.Author, &r.SiteName, &r.Language, &r.CanonicalURL, &r.Description, &r.Text} {
		*s = strings.Clone(*s)
	}
}

// parseStripped parses the page, valid UTF-8 without NUL, without the
// parts stripRaw removes. The
// stripped copy is a scratch buffer, recycled: the parser copies out all
// it keeps.
func parseStripped(page []byte, admit htmlparse.Admit) (*html.Node, func(), error) {
	buf := strippedPages.Get().(*[]byte)
	stripped := appendStripped((*buf)[:0], page)
	doc, release, err := parseWithin(stripped, admit)
	if cap(stripped) <= maxRecycledPage {
		*buf = stripped[:0]
		strippedPages.Put(buf)
	}
	return doc, release, err
}

// parseWithin parses a page within htmlparse.Default (its tree can outgrow
// the page without bound) and in the room admit makes for it.
func parseWithin(page []byte, admit htmlparse.Admit) (*html.Node, func(), error) {
	var doc *html.Node
	release, err := htmlparse.Default.Within(len(page), admit, func(room htmlparse.Room) (err error) {
		doc, err = parse(page, room)
		return err
	})
	if err != nil {
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
		var best int
		r.Text, best = p.bodyText()
		p.fromArticleLines(r, best, o.URL)
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

// bodyText finds the article element and renders it; it returns the
// element's record too, or -1.
func (p *page) bodyText() (string, int) {
	in := p.inheritBoiler()
	best := p.best(in)
	if best < 0 && p.unhint() {
		in = p.inheritBoiler()
		best = p.best(in)
	}
	if best < 0 {
		return "", -1
	}
	text := p.renderArticle(best, in)
	if b := p.agreeWithSummary(best, in, text); b != best {
		return p.renderArticle(b, in), b
	}
	return text, best
}

// renderArticle renders the article chosen at best: the lead above it and its
// parts. The lead and the body share one duplicate filter: templates often
// repeat the standfirst as the body's first paragraph.
func (p *page) renderArticle(best int, in []bool) string {
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
