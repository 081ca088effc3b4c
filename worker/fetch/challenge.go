package fetch

import (
	"bytes"
	"net/http"
	"strings"
)

// challengeSniffBytes is how much of an error page is read to look for a
// bot challenge; challenge pages are small and say so early.
const challengeSniffBytes = 64 << 10

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

func asksForProofOfHumanity(body []byte) bool {
	lower := bytes.ToLower(body)
	for _, m := range humanCheckMarkers {
		if bytes.Contains(lower, m) {
			return true
		}
	}
	return false
}
