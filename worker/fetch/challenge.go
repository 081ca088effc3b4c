package fetch

import (
	"bytes"
	"net/http"
	"strings"

	"golang.org/x/net/html"
)

// challengeSniffBytes is how much of an error page is read to look for a
// bot challenge. Real pages often spend their first 64 KiB on scripts and
// styles; reading further lets their text show that they are not challenges.
const challengeSniffBytes = 256 << 10

// isBotChallenge tells a bot wall from an ordinary error, so the operator
// learns to change the User-Agent or drop the feed instead of waiting for a
// server to recover. Signals, from strongest: the CDN says so
// (cf-mitigated: challenge); a 403 answered with an HTML page where a feed or
// article was asked for (a refusal aimed at the client, not a missing file);
// a 403/429/503 HTML page asking the visitor to prove it is human.
func isBotChallenge(code int, h http.Header, body []byte) bool {
	if strings.EqualFold(strings.TrimSpace(h.Get("Cf-Mitigated")), "challenge") {
		return true
	}
	if code != http.StatusForbidden && code != http.StatusTooManyRequests && code != http.StatusServiceUnavailable {
		return false
	}
	mt := mediaType(h.Get("Content-Type"))
	if !isHTMLMedia(mt) && !(mt == "" && sniffsAsHTML(body)) {
		return false
	}
	if code == http.StatusForbidden {
		return true
	}
	return asksForProofOfHumanity(body)
}

// Generic words of human-verification pages, not any one vendor's wording.
var humanCheckMarkers = [][]byte{
	[]byte("captcha"),
	[]byte("are you a robot"),
	[]byte("not a robot"),
	[]byte("verify you are human"),
	[]byte("checking your browser"),
	[]byte("enable javascript and cookies"),
}

// maxChallengeWords: a challenge page says a sentence or two; an article
// page that merely embeds a captcha in its comment form says far more.
const maxChallengeWords = 150

func asksForProofOfHumanity(body []byte) bool {
	lower := bytes.ToLower(body)
	for _, m := range humanCheckMarkers {
		if bytes.Contains(lower, m) {
			return visibleWords(body, maxChallengeWords+1) <= maxChallengeWords
		}
	}
	return false
}

// visibleWords counts the words a reader would see (text outside script,
// style and template), stopping at limit.
func visibleWords(page []byte, limit int) int {
	z := html.NewTokenizer(bytes.NewReader(page))
	words, hidden := 0, 0
	for words < limit {
		switch z.Next() {
		case html.ErrorToken:
			return words
		case html.StartTagToken:
			if isHiddenTag(z) {
				hidden++
			}
		case html.EndTagToken:
			if isHiddenTag(z) && hidden > 0 {
				hidden--
			}
		case html.TextToken:
			if hidden == 0 {
				words += len(bytes.Fields(z.Text()))
			}
		}
	}
	return words
}

func isHiddenTag(z *html.Tokenizer) bool {
	name, _ := z.TagName()
	switch string(name) {
	case "script", "style", "template", "noscript":
		return true
	}
	return false
}
