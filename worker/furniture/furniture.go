// Package furniture learns a site's furniture from its own pages: a
// paragraph that recurs on many pages of one host ("Never miss the latest
// news by signing up…", a standing promo, a contact block) is no article's
// text. A single-page extractor cannot know this; an archive can.
//
// A Learner counts, per host, on how many pages each paragraph occurs. Its
// memory is bounded (paragraphs per host, hosts, the least recently seen
// host forgotten first) and its verdict is explainable: Seen reports how many
// pages carried a paragraph, and FilterExplained which paragraphs went and
// why. It is safe for concurrent use.
package furniture

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
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
	// MaxHosts bounds the hosts remembered; when full, a new host takes
	// the place of the one observed least recently.
	MaxHosts int

	mu      sync.Mutex
	seed    maphash.Seed
	hosts   map[string]*host
	tick    uint64       // observations so far, the hosts' clock
	dropped atomic.Int64 // paragraphs Filter removed
}

type host struct {
	pages  int
	used   uint64 // tick of the last observation
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
			l.forgetOldestHost()
		}
		h = &host{counts: make(map[uint64]int)}
		l.hosts[hostname] = h
	}
	l.tick++
	h.pages, h.used = h.pages+1, l.tick
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

// forgetOldestHost drops the host observed least recently. A scan is enough:
// it runs only when a new host arrives at a full Learner.
func (l *Learner) forgetOldestHost() {
	var oldest string
	var at uint64
	for name, h := range l.hosts {
		if oldest == "" || h.used < at {
			oldest, at = name, h.used
		}
	}
	delete(l.hosts, oldest)
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
	return l.seen(l.hosts[hostname], paragraph)
}

// seen is Seen on a host already looked up (nil: never observed); l.mu is held.
func (l *Learner) seen(h *host, paragraph string) int {
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
	out, _ := l.FilterExplained(hostname, paragraphs)
	return out
}

// Dropped is a paragraph Filter removed, with the number of observed pages
// of its host that carried it: the reason it was taken for furniture.
type Dropped struct {
	Paragraph string
	Pages     int
}

// FilterExplained is Filter that also says what it removed and why.
func (l *Learner) FilterExplained(hostname string, paragraphs []string) ([]string, []Dropped) {
	out := make([]string, 0, len(paragraphs))
	var dropped []Dropped
	minPages := or(l.MinPages, DefaultMinPages)
	l.mu.Lock()
	h := l.hosts[hostname]
	for _, p := range paragraphs {
		if n := l.seen(h, p); n >= minPages {
			dropped = append(dropped, Dropped{Paragraph: p, Pages: n})
			continue
		}
		out = append(out, p)
	}
	l.mu.Unlock()
	if len(dropped)*defaultMaxPageShare > len(paragraphs) {
		return paragraphs, nil
	}
	l.dropped.Add(int64(len(dropped)))
	return out, dropped
}

// DroppedTotal is how many paragraphs Filter has removed so far.
func (l *Learner) DroppedTotal() int64 { return l.dropped.Load() }

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
	out, _ := l.FilterTextExplained(hostname, text)
	return out
}

// FilterTextExplained is FilterExplained on a text of paragraphs.
func (l *Learner) FilterTextExplained(hostname, text string) (string, []Dropped) {
	kept, dropped := l.FilterExplained(hostname, Paragraphs(text))
	if len(dropped) == 0 {
		return text, nil
	}
	return strings.Join(kept, "\n\n"), dropped
}

// ObserveText is Observe on a text of paragraphs separated by blank lines.
func (l *Learner) ObserveText(hostname, text string) {
	l.Observe(hostname, Paragraphs(text))
}

// Paragraphs splits a text at its blank lines.
func Paragraphs(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n\n")
}

func or(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}
