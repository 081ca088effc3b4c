package extracteval

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Page is one corpus page's expectations.
type Page struct {
	ID      string   `json:"-"`
	URL     string   `json:"url"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

// Load reads dir/expected.json and returns its pages sorted by id.
func Load(dir string) ([]Page, error) {
	path := filepath.Join(dir, "expected.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("extracteval: %w", err)
	}
	var m map[string]Page
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("extracteval: %s: %w", path, err)
	}
	pages := make([]Page, 0, len(m))
	for id, p := range m {
		p.ID = id
		pages = append(pages, p)
	}
	slices.SortFunc(pages, func(a, b Page) int { return strings.Compare(a.ID, b.ID) })
	return pages, nil
}

// HTMLPath returns where page id's bytes are in corpus dir.
func HTMLPath(dir, id string) string { return filepath.Join(dir, "html", id+".html") }

// Counts are snippet counts; they add up over pages.
type Counts struct{ TP, FN, FP int }

// Add returns the sum of c and d.
func (c Counts) Add(d Counts) Counts { return Counts{c.TP + d.TP, c.FN + d.FN, c.FP + d.FP} }

// Precision is TP/(TP+FP), 1 when nothing was found at all.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 1 when nothing was expected.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Loss is the number of snippets scored wrong.
func (c Counts) Loss() int { return c.FN + c.FP }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// PageScore is one page's result.
type PageScore struct {
	Page
	Lang           string // primary language subtag, "und" when unknown
	Counts         Counts
	Missed, Leaked []string
	Err            error
}

// Score checks the snippets of p against text, both with white space
// collapsed, as the corpus README prescribes.
func Score(p Page, text string) PageScore {
	text = Squash(text)
	s := PageScore{Page: p}
	for _, w := range p.With {
		if strings.Contains(text, Squash(w)) {
			s.Counts.TP++
		} else {
			s.Counts.FN++
			s.Missed = append(s.Missed, w)
		}
	}
	for _, w := range p.Without {
		if strings.Contains(text, Squash(w)) {
			s.Counts.FP++
			s.Leaked = append(s.Leaked, w)
		}
	}
	return s
}

// Squash collapses runs of white space to one space and trims the ends.
func Squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// Report is a scored corpus.
type Report struct {
	Pages []PageScore
}

// Total pools the counts of every page.
func (r *Report) Total() Counts {
	var c Counts
	for _, p := range r.Pages {
		c = c.Add(p.Counts)
	}
	return c
}

// Broken counts the pages with any snippet scored wrong.
func (r *Report) Broken() int {
	n := 0
	for _, p := range r.Pages {
		if p.Counts.Loss() > 0 {
			n++
		}
	}
	return n
}

// ByLoss returns the pages with a loss, worst first (ties by id).
func (r *Report) ByLoss() []PageScore {
	var out []PageScore
	for _, p := range r.Pages {
		if p.Counts.Loss() > 0 || p.Err != nil {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b PageScore) int {
		return cmp.Compare(b.Counts.Loss(), a.Counts.Loss())
	})
	return out
}

// LangScore is the pooled score of the pages of one language.
type LangScore struct {
	Lang   string
	Pages  int
	Counts Counts
}

// ByLanguage pools the counts per language, most pages first.
func (r *Report) ByLanguage() []LangScore {
	idx := map[string]int{}
	var out []LangScore
	for _, p := range r.Pages {
		i, ok := idx[p.Lang]
		if !ok {
			i = len(out)
			idx[p.Lang] = i
			out = append(out, LangScore{Lang: p.Lang})
		}
		out[i].Pages++
		out[i].Counts = out[i].Counts.Add(p.Counts)
	}
	slices.SortStableFunc(out, func(a, b LangScore) int {
		if c := cmp.Compare(b.Pages, a.Pages); c != 0 {
			return c
		}
		return strings.Compare(a.Lang, b.Lang)
	})
	return out
}

// PrimaryLang returns the primary subtag of a language tag, lower case
// ("de-DE" → "de"), or "und" when tag is empty or not a language.
func PrimaryLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 3 {
		return "und"
	}
	for _, c := range tag {
		if c < 'a' || c > 'z' {
			return "und"
		}
	}
	return tag
}
