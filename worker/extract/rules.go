package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Rules are per-site extraction rules, for the sites where the generic
// detection fails. The rules file is JSON: an object from host name to the
// CSS selectors to keep and to drop on that site's pages:
//
//	{
//	  "example.com":      {"keep": ["article .story-body"], "drop": [".related", ".ad-slot"]},
//	  "news.example.org": {"drop": ["#comments"]}
//	}
//
// A host entry applies to that host and its subdomains ("example.com" covers
// "www.example.com"); the longest matching entry wins. "drop" removes every
// matching element before anything else. "keep", when given, replaces the
// automatic article detection: the text is that of the matching elements, in
// page order. Without "keep" the automatic detection runs on the page minus
// the dropped elements.
type Rules struct {
	hosts map[string]*siteRule
}

type siteRule struct {
	Keep []string `json:"keep"`
	Drop []string `json:"drop"`

	keepSel, dropSel []cascadia.Selector
}

// LoadRules reads a rules file (see Rules for the format) and compiles its
// selectors, so that a bad selector is reported at start-up.
func LoadRules(path string) (*Rules, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("extract: read rules: %w", err)
	}
	return ParseRules(b)
}

// ParseRules compiles rules from the JSON form described on Rules.
func ParseRules(b []byte) (*Rules, error) {
	var raw map[string]*siteRule
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("extract: parse rules: %w", err)
	}
	r := &Rules{hosts: make(map[string]*siteRule, len(raw))}
	for host, sr := range raw {
		if sr == nil {
			continue
		}
		var err error
		if sr.keepSel, err = compileAll(sr.Keep); err != nil {
			return nil, fmt.Errorf("extract: rules for %s: %w", host, err)
		}
		if sr.dropSel, err = compileAll(sr.Drop); err != nil {
			return nil, fmt.Errorf("extract: rules for %s: %w", host, err)
		}
		r.hosts[strings.ToLower(strings.TrimPrefix(host, "www."))] = sr
	}
	return r, nil
}

func compileAll(sels []string) ([]cascadia.Selector, error) {
	out := make([]cascadia.Selector, 0, len(sels))
	for _, s := range sels {
		c, err := cascadia.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", s, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// forHost returns the rule for host or its closest parent domain.
func (r *Rules) forHost(host string) *siteRule {
	host = strings.ToLower(host)
	for host != "" {
		if sr, ok := r.hosts[host]; ok {
			return sr
		}
		i := strings.IndexByte(host, '.')
		if i < 0 {
			break
		}
		host = host[i+1:]
	}
	return nil
}

// drop removes the elements matching the drop selectors.
func (sr *siteRule) drop(doc *html.Node) {
	d := goquery.NewDocumentFromNode(doc)
	for _, s := range sr.dropSel {
		d.FindMatcher(s).Remove()
	}
}

// keep renders the elements matching the keep selectors, in page order.
func (sr *siteRule) keep(doc *html.Node) string {
	d := goquery.NewDocumentFromNode(doc)
	var sel *goquery.Selection
	for _, s := range sr.keepSel {
		m := d.FindMatcher(s)
		if sel == nil {
			sel = m
		} else {
			sel = sel.AddSelection(m)
		}
	}
	var parts []string
	if sel == nil {
		return ""
	}
	sel.Each(func(_ int, s *goquery.Selection) {
		// Nested matches would repeat text; keep outermost ones only.
		if s.ParentsFiltered("*").FilterFunction(func(_ int, a *goquery.Selection) bool {
			return sel.IsSelection(a)
		}).Length() > 0 {
			return
		}
		sub := analyse(s.Get(0))
		if t := sub.render(0, sub.inheritBoiler()); t != "" {
			parts = append(parts, t)
		}
		sub.release()
	})
	return strings.Join(parts, "\n\n")
}
