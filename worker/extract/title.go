package extract

import "strings"

// titleSeparators split a page title from the site name templates add to it.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " « ", " // ", " : "}

// cleanTitle removes the site-name prefix or suffix from title. A headline
// printed in an <h1> that is part of the title wins; otherwise a part equal to
// the site name is dropped; otherwise the longest part is kept when the
// shorter parts look like a name (few words).
func cleanTitle(title, siteName string, h1s []string) string {
	title = strings.TrimSpace(title)
	for _, h := range h1s {
		h = strings.TrimSpace(h)
		if len(h) >= 10 && strings.EqualFold(h, title) {
			return h
		}
	}
	for _, sep := range titleSeparators {
		parts := strings.Split(title, sep)
		if len(parts) < 2 {
			continue
		}
		// Of the parts printed in an <h1>, the longest: pages print
		// the site's name in an <h1> too.
		match := ""
		for _, h := range h1s {
			h = strings.TrimSpace(h)
			for _, p := range parts {
				if len(h) >= 10 && len(h) > len(match) && strings.EqualFold(strings.TrimSpace(p), h) {
					match = h
				}
			}
		}
		if match != "" {
			return match
		}
		if siteName != "" {
			var kept []string
			for _, p := range parts {
				if !sameName(p, siteName) {
					kept = append(kept, p)
				}
			}
			if len(kept) < len(parts) && len(kept) > 0 {
				return strings.TrimSpace(strings.Join(kept, sep))
			}
		}
		first, last := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[len(parts)-1])
		if wordCount(last) <= 4 && wordCount(first) > wordCount(last) {
			return strings.TrimSpace(strings.Join(parts[:len(parts)-1], sep))
		}
		if wordCount(first) <= 3 && wordCount(last) > 4 && len(parts) == 2 {
			return last
		}
	}
	return title
}

// sameName reports whether a title part names the site: equal ignoring case
// and spaces, or a host-like form of it ("Example.com" for "Example").
func sameName(part, site string) bool {
	norm := func(s string) string {
		s = strings.ToLower(s)
		s = strings.ReplaceAll(s, " ", "")
		s = strings.TrimPrefix(s, "www.")
		if i := strings.LastIndexByte(s, '.'); i > 0 {
			s = s[:i]
		}
		return s
	}
	a, b := norm(part), norm(site)
	return a != "" && (a == b || strings.Contains(a, b) && len(b) > 3 && len(a) < len(b)+6)
}

func wordCount(s string) int { return len(strings.Fields(s)) }
