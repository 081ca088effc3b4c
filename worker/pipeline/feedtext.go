package pipeline

import (
	"strings"

	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/textnorm"
)

// feedContentText is the clean text of an item's own content, full text when
// the feed carries it, else its summary.
func feedContentText(it feed.Item) string {
	html := it.Content
	if strings.TrimSpace(html) == "" {
		html = it.Summary
	}
	return dropFeedFooter(extract.FromFeedContent(html))
}

// dropFeedFooter removes the footer that WordPress SEO plugins append to every
// feed item ("The post <title> appeared first on <site>."): it is the feed's
// furniture, not the article's text.
func dropFeedFooter(text string) string {
	i := strings.LastIndex(text, "\n\n")
	last := text[i+1:]
	if strings.HasPrefix(strings.TrimSpace(last), "The post ") && strings.Contains(last, " appeared first on ") {
		return strings.TrimSpace(text[:max(i, 0)])
	}
	return text
}

// chooseText decides between the page's extracted text and the feed's own
// content. A feed that carries the full article gives clean text with no
// template around it, so it wins when it is the same story (most of its
// shingles appear on the page) and at least nearly as long as what the page
// yielded; a summary loses to the page.
func chooseText(page, feedText string) (string, string) {
	pw, fw := textnorm.Words(page), textnorm.Words(feedText)
	switch {
	case len(pw) == 0 && len(fw) > 0:
		return feedText, "feed"
	case len(fw) < 50 || len(fw)*10 < len(pw)*8:
		return page, "page"
	case containment(fw, pw) >= 0.6:
		return feedText, "feed"
	default:
		return page, "page"
	}
}

// containment is the share of a's word 4-shingles that also occur in b.
func containment(a, b []string) float64 {
	const n = 4
	if len(a) < n || len(b) < n {
		return 0
	}
	in := make(map[string]struct{}, len(b))
	for i := 0; i+n <= len(b); i++ {
		in[strings.Join(b[i:i+n], " ")] = struct{}{}
	}
	hit, total := 0, 0
	for i := 0; i+n <= len(a); i++ {
		total++
		if _, ok := in[strings.Join(a[i:i+n], " ")]; ok {
			hit++
		}
	}
	return float64(hit) / float64(total)
}
