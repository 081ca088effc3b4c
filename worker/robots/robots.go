// Package robots reads robots.txt (RFC 9309) for the pages wiresift finds
// through sitemaps: which paths it may fetch, how long to wait between
// requests (Crawl-delay), and which sitemaps the site names. Feed items are
// links a publisher pushed to its readers and are fetched like a reader
// would; a sitemap is a crawl, so it is crawled politely.
package robots

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"
)

// Product is wiresift's product token, which robots.txt groups name.
const Product = "wiresift"

// MaxBytes is how much of a robots.txt is read: RFC 9309 asks crawlers to
// parse at least 500 KiB, and what lies beyond is ignored.
const MaxBytes = 500 << 10

// Rules are the robots.txt rules that apply to one user agent.
type Rules struct {
	rules      []rule
	CrawlDelay time.Duration // 0 if the group gives none
	Sitemaps   []string      // every Sitemap: line, whatever the group
}

type rule struct {
	allow   bool
	pattern string
}

// AllowAll is the rule set of a site without robots.txt.
var AllowAll = &Rules{}

// DisallowAll is what an unreachable robots.txt means (RFC 9309 2.3.1.4):
// the crawler must assume the whole site is off limits for now.
var DisallowAll = &Rules{rules: []rule{{allow: false, pattern: "/"}}}

// group is one User-agent block as parsed.
type group struct {
	agents []string
	rules  []rule
	delay  time.Duration
}

// Parse reads a robots.txt and keeps the group for product (the crawler's
// product token, such as "wiresift"): the group naming it, else the "*"
// group, else no rules. Reading stops after MaxBytes.
func Parse(r io.Reader, product string) *Rules {
	product = strings.ToLower(product)
	out := &Rules{}
	var groups []*group
	var cur *group
	inAgents := false
	sc := bufio.NewScanner(io.LimitReader(r, MaxBytes))
	sc.Buffer(make([]byte, 0, 4096), MaxBytes)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		switch key {
		case "user-agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(value))
			inAgents = true
			continue
		case "sitemap":
			if value != "" {
				out.Sitemaps = append(out.Sitemaps, value)
			}
			continue
		}
		inAgents = false
		if cur == nil {
			continue // rules before any User-agent line belong to no group
		}
		switch key {
		case "allow", "disallow":
			if value == "" {
				continue // "Disallow:" with no path allows everything
			}
			cur.rules = append(cur.rules, rule{allow: key == "allow", pattern: value})
		case "crawl-delay":
			if s, err := strconv.ParseFloat(value, 64); err == nil && s > 0 {
				cur.delay = time.Duration(s * float64(time.Second))
			}
		}
	}
	var star *group
	var mine []*group
	for _, g := range groups {
		for _, a := range g.agents {
			switch {
			case a == "*":
				star = g
			case a == product || strings.HasPrefix(a, product+"/"):
				mine = append(mine, g)
			}
		}
	}
	if len(mine) == 0 && star != nil {
		mine = []*group{star}
	}
	// Several groups for the same agent are merged (RFC 9309 2.2.1).
	for _, g := range mine {
		out.rules = append(out.rules, g.rules...)
		out.CrawlDelay = max(out.CrawlDelay, g.delay)
	}
	return out
}

// Allowed reports whether a URL path (with its query) may be fetched: the
// longest matching rule decides, and Allow wins a tie.
func (r *Rules) Allowed(path string) bool {
	if path == "" {
		path = "/"
	}
	best, allow := -1, true
	for _, ru := range r.rules {
		if !match(ru.pattern, path) {
			continue
		}
		n := len(ru.pattern)
		if n > best || n == best && ru.allow {
			best, allow = n, ru.allow
		}
	}
	return allow
}

// match reports whether path matches a robots.txt pattern: a prefix match
// where * stands for any run of characters and a final $ anchors the end.
func match(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	if len(parts) == 1 {
		return !anchored || rest == ""
	}
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last && anchored {
			return strings.HasSuffix(rest, p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return true
}
