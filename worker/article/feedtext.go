package article

import (
	"strings"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/extract"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/htmlparse"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/textnorm"
)

// feedContentText is the clean text of an item's own content, full text when
// the feed carries it, else its summary. admit, when set, holds the parse to
// the pipeline's memory budget, as for pages: a feed may carry many items of
// costly content, and their parses would otherwise add up.
func feedContentText(it feed.Item, admit htmlparse.Admit) string {
	html := it.Content
	if strings.TrimSpace(html) == "" {
		html = it.Summary
	}
	text, err := extract.FromFeedContent(html, admit)
	if err != nil {
		// Content whose tree would outgrow it (or that cannot wait for
		// room) keeps its words, untidied.
		return htmlparse.Default.Text([]byte(html))
	}
	return dropFeedFooter(text)
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
// template around it, so it wins when it is the same story (a good share of
// its shingles appear on the page) and it is the whole story: at least nearly
// as long as what the page yielded, or, when the page yielded more (template
// leftovers count too), when it does not look cut short. A teaser loses to
// the page.
func chooseText(page, feedText string) (string, string) {
	fw := textnorm.CountWords(feedText)
	if fw < minFullWords {
		// A summary at best (most feeds carry no more): only a page
		// without a word loses to it, and the page's words need no list.
		if fw > 0 && !textnorm.AtLeastWords(page, 1) {
			return feedText, store.TextFromFeed
		}
		return page, store.TextFromPage
	}
	pw := textnorm.CountWords(page)
	switch {
	case pw == 0:
		return feedText, store.TextFromFeed
	case dedup.Containment(feedText, page) < sameStory:
		return page, store.TextFromPage
	case fw*10 >= pw*8 || looksWhole(feedText):
		return feedText, store.TextFromFeed
	default:
		return page, store.TextFromPage
	}
}

const (
	// minFullWords: shorter feed content is a summary whatever it says.
	minFullWords = 80
	// sameStory is the share of the feed's shingles (dedup.Containment)
	// that must appear on the page for the two to be one story; different
	// stories share almost none.
	sameStory = 0.4
)

// looksWhole tells full feed content from a teaser: a teaser is one paragraph,
// or ends in an ellipsis or a short "read more" line.
func looksWhole(text string) bool {
	paras := strings.Split(text, "\n\n")
	if len(paras) < 3 {
		return false
	}
	last := strings.TrimSpace(paras[len(paras)-1])
	for _, cut := range []string{"…", "...", "[…]", "[...]", "→", "»"} {
		if strings.HasSuffix(last, cut) {
			return false
		}
	}
	if w := strings.Fields(strings.ToLower(last)); len(w) <= 6 {
		for _, word := range w {
			if strings.HasPrefix(word, "read") || strings.HasPrefix(word, "continu") || strings.HasPrefix(word, "more") {
				return false
			}
		}
	}
	return true
}
