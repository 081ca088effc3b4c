// Package furniture learns a site's furniture from its own pages: a
// paragraph that recurs on many pages of one host ("Never miss the latest
// news by signing up…", a standing promo, a contact block) is no article's
// text. A single-page extractor cannot know this; an archive can.
//
// A Learner counts, per host, on how many pages each paragraph occurs. Its
// memory is bounded (paragraphs per host, hosts) and its verdict is
// explainable: Seen reports how many pages carried a paragraph. It is safe
// for concurrent use.
package furniture

import (
	"hash/maphash"
	"strings"
	"sync"
)

// Defaults for a Learner's zero fields.
const (
	DefaultMinPages       = 3    // pages a paragraph must recur on
	DefaultMaxParagraphs  = 4096 // paragraphs tracked per host
	DefaultMaxHosts       = 4096 // hosts tracked
	DefaultMaxParaLength  = 200  // longer paragraphs are never furniture
	defaultMaxPageShare   = 2    // a page over half furniture is another copy of a story
	defaultMinParaLetters = 3
)

// Learner learns furniture per host.
type Learner struct {
	// MinPages is how many distinct pages of a host must carry a
	// paragraph for it to be furniture (DefaultMinPages when 0).
	MinPages int
	// MaxParagraphs bounds the paragraphs remembered per host; when full,
	// paragraphs seen on one page only are forgotten first.
	MaxParagraphs int
	// MaxHosts bounds the hosts remembered; when full, new hosts are not
	// learned.
	MaxHosts int

	mu    sync.Mutex
	seed  maphash.Seed
	hosts map[string]*host
}

type host struct {
	pages  int
	counts map[uint64]int
}

// Observe records the paragraphs of one page of host. Each paragraph
// counts once per page.
func (l *Learner) Observe(hostname string, paragraphs []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.hosts == nil {
		l.hosts = make(map[string]*host)
		l.seed = maphash.MakeSeed()
	}
	h := l.hosts[hostname]
	if h == nil {
		if len(l.hosts) >= or(l.MaxHosts, DefaultMaxHosts) {
			return
		}
		h = &host{counts: make(map[uint64]int)}
		l.hosts[hostname] = h
	}
	h.pages++
	seen := make(map[uint64]bool, len(paragraphs))
	for _, p := range paragraphs {
		k, ok := l.key(p)
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		if _, known := h.counts[k]; !known && len(h.counts) >= or(l.MaxParagraphs, DefaultMaxParagraphs) {
			h.forgetSingles()
			if len(h.counts) >= or(l.MaxParagraphs, DefaultMaxParagraphs) {
				continue
			}
		}
		h.counts[k]++
	}
}

// forgetSingles drops the paragraphs seen on one page only.
func (h *host) forgetSingles() {
	for k, n := range h.counts {
		if n <= 1 {
			delete(h.counts, k)
		}
	}
}

// Seen returns on how many observed pages of host the paragraph occurs.
func (l *Learner) Seen(hostname, paragraph string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.hosts[hostname]
	if h == nil {
		return 0
	}
	k, ok := l.key(paragraph)
	if !ok {
		return 0
	}
	return h.counts[k]
}

// IsFurniture reports whether paragraph recurs on enough pages of host.
func (l *Learner) IsFurniture(hostname, paragraph string) bool {
	return l.Seen(hostname, paragraph) >= or(l.MinPages, DefaultMinPages)
}

// Filter returns the paragraphs of a page of host that are not furniture.
// When most of the page is "furniture", the page is another copy of a story
// the host already carries, not a template: it is returned whole.
func (l *Learner) Filter(hostname string, paragraphs []string) []string {
	out := make([]string, 0, len(paragraphs))
	for _, p := range paragraphs {
		if !l.IsFurniture(hostname, p) {
			out = append(out, p)
		}
	}
	if (len(paragraphs)-len(out))*defaultMaxPageShare > len(paragraphs) {
		return paragraphs
	}
	return out
}

// key is the hash of a paragraph's comparison form: lower case, white space
// collapsed. Long paragraphs and ones with almost no letters (numbers,
// dates) are never furniture.
func (l *Learner) key(p string) (uint64, bool) {
	p = strings.ToLower(strings.Join(strings.Fields(p), " "))
	if len(p) > DefaultMaxParaLength || len(p) < defaultMinParaLetters {
		return 0, false
	}
	letters := 0
	for _, r := range p {
		if r >= 'a' && r <= 'z' || r > 0x7f {
			letters++
		}
	}
	if letters < defaultMinParaLetters {
		return 0, false
	}
	return maphash.String(l.seed, p), true
}

// FilterText is Filter on a text of paragraphs separated by blank lines,
// the form of extract.Result.Text: the hook for a caller that stores pages.
func (l *Learner) FilterText(hostname, text string) string {
	paras := strings.Split(text, "\n\n")
	return strings.Join(l.Filter(hostname, paras), "\n\n")
}

func or(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}
