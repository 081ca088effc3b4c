package fetch

import "time"

// Kind says what a request expects back, which sets the size limit, the
// Accept header and the content types taken.
type Kind int

const (
	KindFeed Kind = iota
	KindPage
	// KindSitemap is a sitemap: XML, or a gzip file (.xml.gz) served as
	// such rather than with Content-Encoding. The feed size limit applies.
	KindSitemap
	// KindRobots is a robots.txt: any text. The page size limit applies.
	KindRobots
)

func (k Kind) expected() string {
	switch k {
	case KindPage:
		return "an HTML page"
	case KindSitemap:
		return "a sitemap"
	case KindRobots:
		return "a robots.txt"
	}
	return "a feed"
}

func (k Kind) name() string {
	switch k {
	case KindPage:
		return "page"
	case KindSitemap:
		return "sitemap"
	case KindRobots:
		return "robots.txt"
	}
	return "feed"
}

// pageSized kinds take the page size limit; the others the feed's.
func (k Kind) pageSized() bool { return k == KindPage || k == KindRobots }

func (k Kind) accept() string {
	switch k {
	case KindPage:
		return "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
	case KindSitemap:
		return "application/xml,text/xml;q=0.9,application/gzip;q=0.8,*/*;q=0.1"
	case KindRobots:
		return "text/plain,*/*;q=0.1"
	}
	return "application/rss+xml,application/atom+xml,application/feed+json,application/rdf+xml;q=0.9," +
		"application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,text/html;q=0.5,*/*;q=0.1"
}

// Request is one GET. ETag and LastModified are the validators kept from the
// last answer; when set they make the request conditional.
type Request struct {
	URL                string
	Kind               Kind
	ETag, LastModified string
}

// Response is a successful (2xx or 304) answer.
type Response struct {
	URL         string // final URL after redirects
	Status      int
	NotModified bool   // 304: Body is empty
	Body        []byte // decompressed (gzip, deflate, br), NOT charset-decoded
	ContentType string
	// The newest validators: the server's, or the request's when a 304 did
	// not repeat them.
	ETag, LastModified string
	// PermanentRedirect is the target of a 301/308 on the first hop (a feed
	// that moved); "" otherwise. 302/307 never set it.
	PermanentRedirect string
	RetryAfter        time.Time // from Retry-After; zero if none
	FreshUntil        time.Time // lower bound for the next poll (max-age, Expires); zero if none
}
