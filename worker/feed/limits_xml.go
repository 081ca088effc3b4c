package feed

import "bytes"

// boundXML scans an XML document's tags: comments, CDATA sections,
// processing instructions and the doctype are skipped whole, as an XML
// parser does, so markup inside them counts for nothing.
func (lim docLimits) boundXML(text []byte) ([]byte, Shape, int, error) {
	var open []string // element names, at most lim.depth
	elements, items, unread := 0, 0, 0
	cut := -1
	var kept []string
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := text[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipTo(text, i+4, "-->")
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipTo(text, i+9, "]]>")
			continue
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skipTo(text, i+2, "?>")
			continue
		case bytes.HasPrefix(rest, []byte("<!")):
			i = skipDoctype(text, i+2)
			continue
		}
		end := tagEnd(text, i+1)
		if end < 0 {
			break // unterminated tag: the parser fails there too
		}
		tag := text[i+1 : end]
		i = end + 1
		if len(tag) > 0 && tag[0] == '/' {
			// An end tag closes its element and any left open inside it,
			// as lenient XML parsers do; a stray one closes nothing.
			k := len(open) - 1
			for k >= 0 && open[k] != tagName(tag[1:]) {
				k--
			}
			if k < 0 {
				continue
			}
			name := open[k]
			open = open[:k]
			if isItem(name, len(open)) {
				items++
				if items == lim.items {
					cut, kept = i, append([]string(nil), open...)
				}
			}
			continue
		}
		name := tagName(tag)
		if cut >= 0 {
			// Past the cut only items are counted, for the report.
			if isItem(name, len(open)) && !selfClosed(tag) {
				unread++
			}
			if !selfClosed(tag) {
				open = append(open, name)
			}
			if len(open) > lim.depth {
				open = open[:len(open)-1] // not parsed: only keep counting
			}
			continue
		}
		elements++
		if elements > lim.elements {
			return nil, Shape{}, 0, tooComplex(text, i, "over %d elements", lim.elements)
		}
		if selfClosed(tag) {
			continue
		}
		open = append(open, name)
		if len(open) > lim.depth {
			return nil, Shape{}, 0, tooComplex(text, i, "elements nested over %d deep", lim.depth)
		}
	}
	if cut < 0 || unread == 0 {
		return text, Shape{Bytes: len(text), Elements: elements}, 0, nil
	}
	out := closing(text[:cut], kept, func(name string) string { return "</" + name + ">" })
	return out, Shape{Bytes: len(out), Elements: elements}, unread, nil
}

// isItem: an RSS or RDF <item> or an Atom <entry> at the depth where a
// feed's items live (under <channel>, <rdf:RDF> or <feed>), depth being
// the number of elements open around it.
func isItem(name string, depth int) bool {
	local := name
	if k := bytes.LastIndexByte([]byte(name), ':'); k >= 0 {
		local = name[k+1:]
	}
	return (local == "item" || local == "entry") && depth <= 2
}

// tagName is the XML name a tag starts with.
func tagName(tag []byte) string {
	n := 0
	for n < len(tag) && isNameByte(tag[n]) {
		n++
	}
	return string(tag[:n])
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == ':' || c >= 0x80
}

func selfClosed(tag []byte) bool { return len(tag) > 0 && tag[len(tag)-1] == '/' }

// tagEnd is the index of the '>' that ends the tag opened before i, quoted
// attribute values skipped; -1 if there is none.
func tagEnd(text []byte, i int) int {
	var quote byte
	for ; i < len(text); i++ {
		switch c := text[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return -1
}

func skipTo(text []byte, i int, end string) int {
	k := bytes.Index(text[i:], []byte(end))
	if k < 0 {
		return len(text)
	}
	return i + k + len(end)
}

// skipDoctype skips <!DOCTYPE …>, with an internal subset in brackets.
func skipDoctype(text []byte, i int) int {
	depth := 0
	for ; i < len(text); i++ {
		switch text[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '>':
			if depth <= 0 {
				return i + 1
			}
		}
	}
	return len(text)
}
