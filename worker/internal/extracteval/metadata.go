package extracteval

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// MetaLabel is what a page shows about itself, labelled by hand. A field
// left out (nil) is not scored: the page does not show it.
type MetaLabel struct {
	ID        string   `json:"id"`
	Title     []string `json:"title"`     // the headline, each way the page prints it
	Author    []string `json:"author"`    // the byline's author(s)
	Published []string `json:"published"` // days (2006-01-02) the page gives as its date
	Lang      string   `json:"lang"`      // primary language subtag of the text
}

// LoadMetaLabels reads a labels file: {"pages": [MetaLabel...]}.
func LoadMetaLabels(path string) ([]MetaLabel, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("extracteval: %w", err)
	}
	var f struct {
		Pages []MetaLabel `json:"pages"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("extracteval: %s: %w", path, err)
	}
	return f.Pages, nil
}

// Meta is what an extractor found.
type Meta struct {
	Title, Author, Lang string
	Published           *time.Time
}

// FieldScore counts the labelled pages of one field and how many the
// extractor got right.
type FieldScore struct {
	Labelled, Right int
	Wrong           []string // "id: got …, want …"
}

// Accuracy is Right/Labelled.
func (f FieldScore) Accuracy() float64 { return ratio(f.Right, f.Labelled) }

// MetaScore is the per-field score of a labelled set.
type MetaScore struct {
	Title, Author, Published, Lang FieldScore
}

// Add scores one page. Titles and authors match ignoring case and runs of
// white space; the date matches on its day in the page's own offset; the
// language on its primary subtag.
func (s *MetaScore) Add(l MetaLabel, m Meta) {
	score := func(f *FieldScore, want []string, got string, eq func(a, b string) bool) {
		if want == nil {
			return
		}
		f.Labelled++
		for _, w := range want {
			if eq(got, w) {
				f.Right++
				return
			}
		}
		f.Wrong = append(f.Wrong, fmt.Sprintf("%s: got %q, want %q", l.ID, got, want))
	}
	score(&s.Title, l.Title, m.Title, sameText)
	score(&s.Author, l.Author, m.Author, sameText)
	day := ""
	if m.Published != nil {
		day = m.Published.Format("2006-01-02")
	}
	score(&s.Published, l.Published, day, func(a, b string) bool { return a == b })
	if l.Lang != "" {
		score(&s.Lang, []string{l.Lang}, PrimaryLang(m.Lang), func(a, b string) bool { return a == b })
	}
}

func sameText(a, b string) bool {
	norm := func(s string) string { return Squash(strings.ReplaceAll(s, "\u00a0", " ")) }
	return strings.EqualFold(norm(a), norm(b))
}
