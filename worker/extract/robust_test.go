package extract

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wiresift/wiresift/worker/internal/cputime"
)

func TestExtractSurvivesHostileInput(t *testing.T) {
	para := "<p>This sentence is long enough to be article prose, with commas, and a full stop.</p>"
	tests := []struct {
		name     string
		page     string
		wantText string // substring the text must hold; "" when any result will do
	}{
		{"empty", "", ""},
		{"not html", "\x00\x01\x02 binary junk \xff\xfe", ""},
		{"invalid utf-8 and NUL", "<p>caf\xe9 au lait, \x00with sugar, is a fine drink for a long morning.</p>", "caf au lait, with sugar"},
		{"10000 nested divs", strings.Repeat("<div>", 10000) + para + strings.Repeat("</div>", 10000), "full stop."},
		{"10000 nested spans", strings.Repeat("<span>", 10000) + para, "full stop."},
		{"3000 nested tables", strings.Repeat("<table><tr><td>", 3000) + para, "full stop."},
		{"10000 unclosed formatting", strings.Repeat("<b><i>", 5000) + para, "full stop."},
		{"broken json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","headline":</script>` + para, "full stop."},
		{"deep json-ld", `<script type="application/ld+json">` + strings.Repeat(`{"a":[`, 5000) + `]}</script>` + para, "full stop."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract([]byte(tt.page), Options{})
			if res == nil {
				t.Fatalf("got nil result (err %v), want a result", err)
			}
			if !utf8.ValidString(res.Text) || strings.ContainsRune(res.Text, 0) {
				t.Errorf("text is not clean UTF-8: %q", res.Text)
			}
			if tt.wantText != "" && !strings.Contains(res.Text, tt.wantText) {
				t.Errorf("got text %q, want it to contain %q", res.Text, tt.wantText)
			}
		})
	}
}

// TestExtractLargePage runs a 30 MB page through; its time and memory are
// measured by BenchmarkExtractLargePage.
func TestExtractLargePage(t *testing.T) {
	if testing.Short() {
		t.Skip("30 MB page skipped in -short mode")
	}
	res, err := Extract(largePage(30<<20), Options{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if len(res.Text) < 20<<20 {
		t.Errorf("got %d bytes of text from a 30 MB page of prose, want at least 20 MB", len(res.Text))
	}
}

// largePage builds a page of about size bytes: one article of numbered
// paragraphs (distinct, so that duplicate removal keeps them all).
func largePage(size int) []byte {
	var b strings.Builder
	b.Grow(size + 1024)
	b.WriteString("<html><body><nav><a href='/'>Home</a></nav><article>")
	for i := 0; b.Len() < size; i++ {
		b.WriteString("<p>Paragraph number ")
		b.WriteString(strconv.Itoa(i))
		b.WriteString(" says something long enough to count as prose, with a comma, and ends here.</p>\n")
	}
	b.WriteString("</article></body></html>")
	return []byte(b.String())
}

// BenchmarkExtractLargePage reports time and allocation for one 30 MB page.
//
//	go test ./worker/extract -run '^$' -bench LargePage -benchmem
func BenchmarkExtractLargePage(b *testing.B) {
	page := largePage(30 << 20)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	cpu0 := cputime.Used()
	for i := 0; i < b.N; i++ {
		if _, err := Extract(page, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := cputime.Used() - cpu0; cpu > 0 {
		b.ReportMetric(float64(len(page)*b.N)/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}
