// Package sitemap reads sitemaps (the sitemaps.org protocol): a <urlset> of
// page URLs, a <sitemapindex> of child sitemaps, and Google News sitemaps
// (the news: namespace), plain or gzip-compressed. It reads as a stream and
// holds the protocol's limits: 50,000 URLs and 50 MB uncompressed per file.
package sitemap

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// Protocol limits per file.
const (
	MaxURLs  = 50_000
	MaxBytes = 50 << 20 // uncompressed
)

// NewsNS is the Google News sitemap namespace.
const NewsNS = "http://www.google.com/schemas/sitemap-news/0.9"

// Sentinel errors.
var (
	ErrNotSitemap = errors.New("sitemap: not a sitemap")
	ErrTooLarge   = errors.New("sitemap: larger than 50 MB uncompressed (the protocol's limit)")
)

// Kind is what a sitemap document lists.
type Kind string

// Kinds of sitemap document.
const (
	KindURLSet Kind = "urlset"       // page URLs
	KindIndex  Kind = "sitemapindex" // child sitemaps
)

// Entry is one <url> of a urlset or one <sitemap> of an index.
type Entry struct {
	Loc     string     // absolute URL
	LastMod *time.Time // <lastmod>, nil if absent or unreadable
	News    *News      // the news:news block, nil if none
}

// News is a Google News sitemap entry's metadata.
type News struct {
	Title     string
	Language  string // news:publication/news:language (ISO 639)
	Site      string // news:publication/news:name
	Published *time.Time
}

// Date is the entry's best date: the news publication date, else lastmod.
func (e Entry) Date() *time.Time {
	if e.News != nil && e.News.Published != nil {
		return e.News.Published
	}
	return e.LastMod
}

// Doc is a parsed sitemap document.
type Doc struct {
	Kind    Kind
	Entries []Entry // URLs of a urlset, child sitemaps of an index
	// OffHost counts entries on another host than the sitemap's own, which
	// the protocol does not let a sitemap list: they are skipped.
	OffHost    int
	OffHostURL string // the first of them, for the message
	// Truncated: the file listed more than MaxURLs entries; the rest were
	// not read.
	Truncated bool
}

// Sniff reports whether body, plain or gzip-compressed, is a sitemap: its
// root element is <urlset> or <sitemapindex>. It reads at most the first
// 64 KiB of the document.
func Sniff(body []byte) bool {
	r, err := reader(bytes.NewReader(body))
	if err != nil {
		return false
	}
	d := xml.NewDecoder(io.LimitReader(r, 64<<10))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == string(KindURLSet) || se.Name.Local == string(KindIndex)
		}
	}
}

// reader undoes gzip when the stream starts with its magic bytes (a .xml.gz
// file, served as such rather than with Content-Encoding).
func reader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

// limited fails with ErrTooLarge past n bytes, instead of ending quietly.
type limited struct {
	r io.Reader
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// Parse reads a sitemap or sitemap index from r, which may be gzipped.
// sitemapURL is where it came from: entries on other hosts are skipped
// (counted in OffHost), and errors name it. It stops after MaxURLs entries
// (Truncated) and fails past MaxBytes uncompressed.
func Parse(r io.Reader, sitemapURL string) (*Doc, error) {
	return parse(r, sitemapURL, MaxURLs, MaxBytes)
}

func parse(r io.Reader, sitemapURL string, maxURLs int, maxBytes int64) (*Doc, error) {
	home, err := url.Parse(sitemapURL)
	if err != nil {
		return nil, fmt.Errorf("sitemap: %s: %w", sitemapURL, err)
	}
	plain, err := reader(r)
	if err != nil {
		return nil, fmt.Errorf("sitemap: %s: gzip: %w", sitemapURL, err)
	}
	d := xml.NewDecoder(&limited{r: plain, n: maxBytes})
	d.Strict = false
	d.CharsetReader = charsetReader
	doc := &Doc{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return doc, fmt.Errorf("sitemap: %s: %w", sitemapURL, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if doc.Kind == "" {
			switch se.Name.Local {
			case string(KindURLSet), string(KindIndex):
				doc.Kind = Kind(se.Name.Local)
				continue
			}
			return nil, fmt.Errorf("%w: %s has root element <%s>", ErrNotSitemap, sitemapURL, se.Name.Local)
		}
		if se.Name.Local != "url" && se.Name.Local != "sitemap" {
			continue
		}
		if len(doc.Entries) >= maxURLs {
			doc.Truncated = true
			break
		}
		var raw rawEntry
		if err := d.DecodeElement(&raw, &se); err != nil {
			return doc, fmt.Errorf("sitemap: %s: entry %d: %w", sitemapURL, len(doc.Entries)+1, err)
		}
		e, ok := raw.entry(home)
		switch {
		case !ok:
		case !sameHost(home, e.Loc):
			if doc.OffHost == 0 {
				doc.OffHostURL = e.Loc
			}
			doc.OffHost++
		default:
			doc.Entries = append(doc.Entries, e)
		}
	}
	if doc.Kind == "" {
		return nil, fmt.Errorf("%w: %s has no root element", ErrNotSitemap, sitemapURL)
	}
	return doc, nil
}

// rawEntry is a <url> or <sitemap> as written; namespaces are matched by
// local name only, since real sitemaps get the default namespace wrong.
type rawEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    *struct {
		Title       string `xml:"title"`
		Published   string `xml:"publication_date"`
		Publication struct {
			Name     string `xml:"name"`
			Language string `xml:"language"`
		} `xml:"publication"`
	} `xml:"news"`
}

// entry checks and converts a raw entry; ok is false for one without a
// usable absolute http(s) URL.
func (r rawEntry) entry(home *url.URL) (Entry, bool) {
	loc := strings.TrimSpace(r.Loc)
	u, err := url.Parse(loc)
	if err != nil {
		return Entry{}, false
	}
	if !u.IsAbs() {
		// The protocol wants absolute URLs; a relative one is resolved
		// against the sitemap rather than dropped.
		u = home.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Entry{}, false
	}
	e := Entry{Loc: u.String(), LastMod: ParseDate(r.LastMod)}
	if r.News != nil {
		e.News = &News{
			Title:     strings.TrimSpace(r.News.Title),
			Language:  strings.TrimSpace(r.News.Publication.Language),
			Site:      strings.TrimSpace(r.News.Publication.Name),
			Published: ParseDate(r.News.Published),
		}
	}
	return e, true
}

// sameHost applies the protocol's rule: a sitemap lists URLs of its own host.
func sameHost(home *url.URL, loc string) bool {
	u, err := url.Parse(loc)
	return err == nil && strings.EqualFold(u.Host, home.Host)
}
