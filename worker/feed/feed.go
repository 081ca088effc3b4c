// Package feed turns a fetched feed document (RSS 0.9x/1.0/2.0, Atom, JSON
// Feed) into items with absolute links, reads the feed's polling and paging
// hints, discovers feeds advertised by HTML pages, and decides how items are
// identified within a feed (dedup layer 1).
package feed

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/json"
)

// ErrNotFeed means the document is not RSS, Atom or JSON Feed (often an HTML
// page: try Discover on it).
var ErrNotFeed = errors.New("feed: not a feed")

// Item is one entry of a feed.
type Item struct {
	GUID    string
	Link    string // absolute
	Title   string
	Content string // content:encoded, Atom content, JSON content_html (else content_text)
	Summary string // RSS description, Atom summary, JSON summary
	Author  string
	// Published is the publication date, else the update date; nil if the
	// feed gives neither.
	Published *time.Time
	// Stated is what the source says of the item's page with the
	// publisher's authority (a news sitemap's news: block): where it says
	// something, that wins over the page. Feeds leave it nil; their title and
	// date give way to the page's.
	Stated *Stated
}

// Stated is page metadata a source gives outside the page; "" and nil say
// nothing.
type Stated struct {
	Title     string
	Language  string
	Published *time.Time
}

// Feed is a parsed feed document.
type Feed struct {
	Title   string
	SiteURL string // absolute
	Items   []Item
	// TTL is the feed's own polling hint (RSS <ttl>, sy:updatePeriod and
	// sy:updateFrequency); 0 if none.
	TTL time.Duration
	// NextURL and PrevArchiveURL are RFC 5005 paging links (rel="next",
	// rel="prev-archive"; JSON Feed next_url), absolute; "" if none.
	NextURL, PrevArchiveURL string
	// Unread counts the items past MaxItems that were not read (see bound).
	Unread int
}

// Parse reads a feed. body is decoded to UTF-8 first (gofeed ignores the HTTP
// charset and UTF-16/32), using contentType's charset when the bytes are not
// UTF-8 already. feedURL is where the body came from: relative links resolve
// against it, and errors name it.
func Parse(body []byte, contentType, feedURL string) (*Feed, error) {
	return Parser{}.Parse(body, contentType, feedURL)
}

// Shape is what a document will cost to parse, known from the bounding
// scan before gofeed builds anything.
type Shape struct {
	Bytes    int // the text parsed (cut after MaxItems items)
	Elements int // elements in it (JSON: objects, arrays and keys)
}

// Parser parses feeds; the zero value is ready to use.
type Parser struct {
	// Admit, when set, is called with each document's shape before it is
	// parsed, and the release it returns once the parse is done: a caller
	// parsing many feeds at once can hold them to a memory budget.
	Admit func(Shape) (release func(), err error)
}

// Parse is the package's Parse, admitted through p.Admit.
func (p Parser) Parse(body []byte, contentType, feedURL string) (*Feed, error) {
	text, err := prepare(body, contentType)
	if err != nil {
		return nil, fmt.Errorf("feed: %s: %w", feedURL, err)
	}
	unread := 0
	var shape Shape
	if gofeed.DetectFeedType(bytes.NewReader(text)) != gofeed.FeedTypeUnknown {
		// An HTML page is left to the ErrNotFeed path below: it is no feed,
		// however it nests.
		if text, shape, unread, err = bound(text); err != nil {
			return nil, fmt.Errorf("feed: %s: %w", feedURL, err)
		}
	}
	if p.Admit != nil {
		release, err := p.Admit(shape)
		if err != nil {
			return nil, fmt.Errorf("feed: %s: %w", feedURL, err)
		}
		defer release()
	}
	gp := gofeed.NewParser()
	gp.KeepOriginalFeed = true // for <ttl>, sy:* and paging links
	// We use no images; the scan would HTML-parse every item's content.
	gp.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	gf, err := gp.Parse(bytes.NewReader(text))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return nil, fmt.Errorf("%w: %s is %s", ErrNotFeed, feedURL, describe(text, contentType))
	}
	if err != nil {
		return nil, fmt.Errorf("feed: parse %s: %w", feedURL, err)
	}
	if gf.FeedType == "json" && !isJSONFeed(gf) {
		return nil, fmt.Errorf("%w: %s is JSON but not a JSON Feed", ErrNotFeed, feedURL)
	}
	f := convert(gf, feedURL)
	f.Unread = unread
	return f, nil
}

func convert(gf *gofeed.Feed, feedURL string) *Feed {
	f := &Feed{
		Title:   oneLine(gf.Title),
		SiteURL: resolve(feedURL, strings.TrimSpace(gf.Link)),
		TTL:     ttlHint(gf.OriginalFeed()),
	}
	f.NextURL, f.PrevArchiveURL = pagingLinks(gf.OriginalFeed(), feedURL)
	// Item links are relative to the site, which may live on another host
	// than the feed (feeds.example.com vs www.example.com).
	base := feedURL
	if f.SiteURL != "" {
		base = f.SiteURL
	}
	f.Items = make([]Item, 0, len(gf.Items))
	for _, gi := range gf.Items {
		if gi != nil {
			f.Items = append(f.Items, convertItem(gi, base))
		}
	}
	return f
}

func convertItem(gi *gofeed.Item, base string) Item {
	it := Item{
		GUID:    strings.TrimSpace(gi.GUID),
		Title:   plainTitle(gi.Title),
		Content: gi.Content,
		Summary: gi.Description,
		Author:  author(gi.Authors),
	}
	link := strings.TrimSpace(gi.Link)
	if link == "" && len(gi.Links) > 0 {
		link = strings.TrimSpace(gi.Links[0])
	}
	// An RSS guid is a permalink unless it says otherwise; feeds without
	// <link> rely on that.
	if link == "" && isWebURL(it.GUID) {
		link = it.GUID
	}
	it.Link = resolve(base, link)
	for _, t := range []*time.Time{gi.PublishedParsed, gi.UpdatedParsed} {
		if t != nil {
			utc := t.UTC()
			it.Published = &utc
			break
		}
	}
	return it
}

func author(people []*gofeed.Person) string {
	for _, p := range people {
		if p == nil {
			continue
		}
		if name := oneLine(p.Name); name != "" {
			return name
		}
		if email := strings.TrimSpace(p.Email); email != "" {
			return email
		}
	}
	return ""
}

// isJSONFeed tells a JSON Feed from any other JSON (an API answer, an error
// object): it names the JSON Feed version, or at least has items.
func isJSONFeed(gf *gofeed.Feed) bool {
	jf, ok := gf.OriginalFeed().(*json.Feed)
	return ok && (strings.Contains(jf.Version, "jsonfeed.org") || len(jf.Items) > 0)
}

// htmlTag matches an opening or closing tag, not a lone "<" as in "a < b".
var htmlTag = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)

// plainTitle returns a headline as text. Atom titles of type="html" (and
// some RSS titles) carry markup; a headline is stored and compared as text,
// so tags go, and only then are the entities they came with decoded.
func plainTitle(s string) string {
	if htmlTag.MatchString(s) {
		s = html.UnescapeString(htmlTag.ReplaceAllString(s, ""))
	}
	return oneLine(s)
}

// oneLine collapses white space: titles arrive with newlines and indentation.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// ItemDates returns the publication dates the feed gives, for the scheduler's
// adaptive interval (items without a date are left out).
func (f *Feed) ItemDates() []time.Time {
	dates := make([]time.Time, 0, len(f.Items))
	for _, it := range f.Items {
		if it.Published != nil {
			dates = append(dates, *it.Published)
		}
	}
	return dates
}
