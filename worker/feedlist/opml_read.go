package feedlist

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Sentinel errors of OPML import.
var (
	ErrNotOPML    = errors.New("feedlist: not an OPML document")
	ErrBadOutline = errors.New("feedlist: outline skipped")
)

// intervalAttr carries wiresift's per-feed interval through OPML. OPML 2.0
// allows outlines any extra attributes; other readers ignore it.
const intervalAttr = "wiresiftInterval"

// ParseOPML reads an OPML 1.0 or 2.0 subscription list as Miniflux, FreshRSS,
// Feedly, Inoreader and others export it. Every outline with an xmlUrl is a
// feed; the text of the folder outlines around it, and the entries of its
// OPML 2.0 category attribute, become its tags. A feed listed in several
// folders is returned once with the tags of all of them.
//
// Input that is not OPML returns ErrNotOPML. Outlines with an unusable URL are
// skipped: the other entries are still returned, with an error wrapping
// ErrBadOutline that lists the skipped ones.
func ParseOPML(r io.Reader, file string) ([]Entry, error) {
	d := xml.NewDecoder(r)
	// Exports in the wild carry HTML entities and stray ampersands; be lenient
	// the way browsers and other readers are.
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel

	if err := findRoot(d); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotOPML, file, err)
	}
	var (
		entries []Entry
		skipped []error
		index   = map[string]int{} // URL → position in entries
		folders []string           // open outlines; "" for feed outlines
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("feedlist: %s:%d: %w", file, line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !strings.EqualFold(t.Name.Local, "outline") {
				continue
			}
			line, _ := d.InputPos()
			o := readOutline(t)
			if o.xmlURL == "" {
				folders = append(folders, o.label())
				continue
			}
			folders = append(folders, "")
			e, err := o.entry(folders[:len(folders)-1])
			if err != nil {
				skipped = append(skipped, fmt.Errorf("%s:%d: %w", file, line, err))
				continue
			}
			if i, ok := index[e.URL]; ok {
				entries[i].Tags = addTags(entries[i].Tags, e.Tags...)
				continue
			}
			e.Line = line
			index[e.URL] = len(entries)
			entries = append(entries, e)
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(folders) > 0 {
				folders = folders[:len(folders)-1]
			}
		}
	}
	if len(skipped) > 0 {
		return entries, fmt.Errorf("%w: %w", ErrBadOutline, errors.Join(skipped...))
	}
	return entries, nil
}

// findRoot consumes tokens up to the root element and checks it is <opml>.
func findRoot(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("no <opml> element: %w", err)
		}
		if start, ok := tok.(xml.StartElement); ok {
			if !strings.EqualFold(start.Name.Local, "opml") {
				return fmt.Errorf("root element is <%s>, want <opml>", start.Name.Local)
			}
			return nil
		}
	}
}

type outline struct {
	text, title, xmlURL, category, interval string
}

// readOutline reads attributes case-insensitively: exporters write xmlUrl,
// xmlURL and xmlurl.
func readOutline(t xml.StartElement) outline {
	var o outline
	for _, a := range t.Attr {
		switch strings.ToLower(a.Name.Local) {
		case "text":
			o.text = a.Value
		case "title":
			o.title = a.Value
		case "xmlurl":
			o.xmlURL = strings.TrimSpace(a.Value)
		case "category":
			o.category = a.Value
		case strings.ToLower(intervalAttr):
			o.interval = a.Value
		}
	}
	return o
}

// label is what a reader shows for the outline: title, else text.
func (o outline) label() string {
	if s := cleanText(o.title); s != "" {
		return s
	}
	return cleanText(o.text)
}

func (o outline) entry(folders []string) (Entry, error) {
	if err := checkURL(o.xmlURL); err != nil {
		return Entry{}, fmt.Errorf("outline %q: %w", o.label(), err)
	}
	e := Entry{URL: o.xmlURL, Name: o.label()}
	if e.Name == e.URL { // some exporters put the URL where no title was known
		e.Name = ""
	}
	e.Tags = addTags(nil, folders...)
	// OPML 2.0 category: comma-separated, slash-delimited paths ("/world,/tech/ai").
	for _, c := range strings.Split(o.category, ",") {
		e.Tags = addTags(e.Tags, strings.Trim(strings.TrimSpace(c), "/"))
	}
	if o.interval != "" {
		if d, err := time.ParseDuration(strings.TrimSpace(o.interval)); err == nil && d > 0 {
			e.Interval = d
		}
	}
	return e, nil
}
