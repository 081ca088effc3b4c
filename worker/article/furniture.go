package article

import (
	"log/slog"
	"net/url"
	"strings"

	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/furniture"
)

// Furniture removes from a page's text the paragraphs its host repeats on
// many pages (furniture.Learner): promos, sign-up lines, contact blocks that
// no single page shows to be furniture. A nil *Furniture does nothing.
type Furniture struct {
	Learner *furniture.Learner
	Logger  *slog.Logger // debug: each paragraph dropped, and why
}

// The bounds of the learner the program runs: paragraphs tracked per host
// and hosts tracked (the least recently seen one forgotten first). At most
// half a million paragraph counts, about 18 MB (docs/extraction.md).
const (
	FurnitureMaxParagraphs = 512
	FurnitureMaxHosts      = 1024
)

// NewFurniture returns the Furniture the program runs.
func NewFurniture(log *slog.Logger) *Furniture {
	return &Furniture{
		Learner: &furniture.Learner{MaxParagraphs: FurnitureMaxParagraphs, MaxHosts: FurnitureMaxHosts},
		Logger:  log,
	}
}

// Observe counts the paragraphs of a page's extracted text under its host.
func (f *Furniture) Observe(pageURL, text string) {
	if f == nil {
		return
	}
	if h := hostOf(pageURL); h != "" {
		f.Learner.ObserveText(h, text)
	}
}

// Filter returns text without the paragraphs its host repeats, logging each
// one dropped with the number of pages of the host that carried it.
func (f *Furniture) Filter(pageURL, text string) string {
	if f == nil {
		return text
	}
	h := hostOf(pageURL)
	if h == "" {
		return text
	}
	kept, dropped := f.Learner.FilterTextExplained(h, text)
	if f.Logger != nil {
		for _, d := range dropped {
			f.Logger.Debug("furniture paragraph dropped", "url", pageURL, "host", h,
				"seen_on_pages", d.Pages, "paragraph", clip(d.Paragraph, 120))
		}
	}
	return kept
}

// Dropped is how many paragraphs Filter has removed so far.
func (f *Furniture) Dropped() int64 {
	if f == nil {
		return 0
	}
	return f.Learner.DroppedTotal()
}

// ObservePage extracts a stored page (UTF-8) and observes its text: the
// first half of a reprocess, which learns every page of a host before it
// filters any.
func (f *Furniture) ObservePage(body []byte, pageURL string, rules *extract.Rules) error {
	if f == nil {
		return nil
	}
	page, err := CleanPage(body, "text/html; charset=utf-8", pageURL, rules)
	if err != nil {
		return err
	}
	f.Observe(pageURL, page.Text)
	return nil
}

// hostOf is the host furniture is learned under: a site's pages on
// www.example.com and example.com share a template.
func hostOf(pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
