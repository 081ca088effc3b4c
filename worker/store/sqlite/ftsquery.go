package sqlite

import (
	"strings"
	"unicode"
)

// ftsQuery quotes the words of a typed query that FTS5 would reject as bare
// words, such as "covid-19" or "U.S.", so they search as the phrase their
// tokens make, as a reader expects. Quoted phrases, parentheses, operators
// (AND OR NOT NEAR), prefixes (word*), initial-token (^word) and column
// filters (title:word) pass through, and so do real syntax errors, such as an
// unclosed quote, which still come back as store.ErrBadQuery.
func ftsQuery(q string) string {
	var b strings.Builder
	var word strings.Builder
	inQuote := false
	flush := func() {
		if word.Len() > 0 {
			b.WriteString(ftsWord(word.String()))
			word.Reset()
		}
	}
	for _, r := range q {
		switch {
		case inQuote:
			b.WriteRune(r)
			inQuote = r != '"'
		case r == '"':
			flush()
			b.WriteRune(r)
			inQuote = true
		case unicode.IsSpace(r) || r == '(' || r == ')':
			flush()
			b.WriteRune(r)
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return b.String()
}

// ftsWord returns a word outside quotes as FTS5 syntax: itself when FTS5
// reads it as intended, else a quoted phrase.
func ftsWord(w string) string {
	switch w {
	case "AND", "OR", "NOT", "NEAR":
		return w
	}
	body := strings.TrimPrefix(w, "^")
	if col, rest, ok := strings.Cut(body, ":"); ok && (col == "title" || col == "text") {
		body = rest
	}
	body = strings.TrimSuffix(body, "*")
	if body != "" && strings.IndexFunc(body, notBareword) < 0 {
		return w
	}
	return `"` + w + `"`
}

// notBareword: FTS5 bare words are ASCII letters, digits, '_' and any
// non-ASCII character.
func notBareword(r rune) bool {
	return r < 0x80 && !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
}
