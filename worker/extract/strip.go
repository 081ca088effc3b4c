package extract

import "bytes"

// stripRaw removes, before parsing, the parts of a page that never hold
// article text: comments, scripts (except JSON-LD, which carries metadata,
// and HTML templates, which may carry the article), style sheets and inline
// SVG. They are a large share of a news page's bytes and nodes, and a byte
// scan is far cheaper than tokenizing them.
// Like the HTML tokenizer, it ends a script at the first "</script".
func stripRaw(b []byte) []byte {
	return appendStripped(make([]byte, 0, len(b)), b)
}

// appendStripped is stripRaw appending to out, whose room it reuses. The
// text between two cuts is copied in one piece.
func appendStripped(out, b []byte) []byte {
	for from := 0; ; {
		i := bytes.IndexByte(b[from:], '<')
		if i < 0 {
			return append(out, b...)
		}
		i += from
		rest := b[i:]
		end := rawEnd(rest)
		if end == "" {
			from = i + 1
			continue
		}
		out = append(out, b[:i]...)
		j := indexFold(rest[1:], end)
		if j < 0 {
			return out // unterminated: the rest is script or comment
		}
		rest = rest[1+j+len(end):]
		if end != "-->" {
			k := bytes.IndexByte(rest, '>')
			if k < 0 {
				return out
			}
			rest = rest[k+1:]
		}
		b, from = rest, 0
	}
}

// rawEnd returns the text that ends the raw element starting at b, or ""
// when b does not start one that stripRaw removes.
func rawEnd(b []byte) string {
	if len(b) < 2 {
		return ""
	}
	// Most tags are none of these: their second byte tells at once.
	switch b[1] | 0x20 {
	case '!', 's':
	default:
		return ""
	}
	if bytes.HasPrefix(b, []byte("<!--")) {
		return "-->"
	}
	switch {
	case tagStarts(b, "script"):
		tagEnd := bytes.IndexByte(b, '>')
		if tagEnd < 0 {
			return ""
		}
		if tag := b[:tagEnd]; containsFoldASCII(tag, "ld+json") || containsFoldASCII(tag, "text/template") {
			// JSON-LD is metadata; an HTML template may be the
			// article body rendered by script (see templateBody).
			return ""
		}
		return "</script"
	case tagStarts(b, "style"):
		return "</style"
	case tagStarts(b, "svg"):
		return "</svg"
	}
	return ""
}

// containsFoldASCII reports whether b contains the lower-case ASCII string
// s, ASCII letters of b in any case. No other character lower-cases to
// a letter of the words looked for (Kelvin sign to k, dotted capital I to
// i followed by a mark), so this is bytes.ToLower and bytes.Contains
// without the copy.
func containsFoldASCII(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if equalFoldASCII(b[i:i+len(s)], s) {
			return true
		}
	}
	return false
}

// tagStarts reports whether b starts with the start tag of name, in any case.
func tagStarts(b []byte, name string) bool {
	if len(b) < len(name)+2 || !equalFoldASCII(b[1:1+len(name)], name) {
		return false
	}
	switch b[1+len(name)] {
	case ' ', '>', '/', '\t', '\n', '\r', '\f':
		return true
	}
	return false
}

// indexFold finds the ASCII string s in b ignoring case; s starts with a
// byte that has no case ('<' or '-').
func indexFold(b []byte, s string) int {
	for off := 0; ; {
		i := bytes.IndexByte(b[off:], s[0])
		if i < 0 {
			return -1
		}
		i += off
		if len(b)-i < len(s) {
			return -1
		}
		if equalFoldASCII(b[i:i+len(s)], s) {
			return i
		}
		off = i + 1
	}
}

func equalFoldASCII(b []byte, s string) bool {
	for i := 0; i < len(s); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
