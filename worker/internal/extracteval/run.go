package extracteval

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Extracted is what an extractor returns for one page.
type Extracted struct {
	Text, Lang string
}

// Run extracts and scores every page of the corpus in dir. An extraction
// error scores the page as if the text were empty and is kept on the page.
func Run(dir string, pages []Page, extract func(raw []byte, url string) (Extracted, error)) (*Report, error) {
	r := &Report{Pages: make([]PageScore, 0, len(pages))}
	for _, p := range pages {
		raw, err := os.ReadFile(HTMLPath(dir, p.ID))
		if err != nil {
			return nil, fmt.Errorf("extracteval: page %s: %w", p.ID, err)
		}
		out, err := extract(raw, p.URL)
		s := Score(p, out.Text)
		s.Lang, s.Err = PrimaryLang(out.Lang), err
		r.Pages = append(r.Pages, s)
	}
	return r, nil
}

// Write prints the report: the pooled score, the score by language, and
// every page with a loss, worst first, with its missed and leaked snippets.
func (r *Report) Write(w io.Writer) {
	t := r.Total()
	fmt.Fprintf(w, "pages %d  TP %d FN %d FP %d  P %.4f R %.4f F1 %.4f  broken pages %d\n",
		len(r.Pages), t.TP, t.FN, t.FP, t.Precision(), t.Recall(), t.F1(), r.Broken())
	for h, c := range r.ByHalf() {
		fmt.Fprintf(w, "half %d  TP %d FN %d FP %d  P %.4f R %.4f F1 %.4f\n", h, c.TP, c.FN, c.FP, c.Precision(), c.Recall(), c.F1())
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-5s %5s %6s %6s %6s %4s %4s\n", "lang", "pages", "P", "R", "F1", "FN", "FP")
	for _, l := range r.ByLanguage() {
		c := l.Counts
		fmt.Fprintf(w, "%-5s %5d %6.3f %6.3f %6.3f %4d %4d\n", l.Lang, l.Pages, c.Precision(), c.Recall(), c.F1(), c.FN, c.FP)
	}
	fmt.Fprintf(w, "\n%-16s %-4s %4s %4s %4s %6s  %s\n", "page", "lang", "TP", "FN", "FP", "F1", "url")
	for _, p := range r.ByLoss() {
		c := p.Counts
		fmt.Fprintf(w, "%-16s %-4s %4d %4d %4d %6.3f  %s\n", p.ID, p.Lang, c.TP, c.FN, c.FP, c.F1(), p.URL)
		if p.Err != nil {
			fmt.Fprintf(w, "\terror: %v\n", p.Err)
		}
		for _, s := range p.Missed {
			fmt.Fprintf(w, "\tmissed: %q\n", clip(s))
		}
		for _, s := range p.Leaked {
			fmt.Fprintf(w, "\tleaked: %q\n", clip(s))
		}
	}
}

func clip(s string) string {
	s = Squash(s)
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return strings.TrimSpace(s)
}
