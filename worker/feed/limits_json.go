package feed

// boundJSON scans a JSON document outside its strings: objects and arrays
// nest, keys count as elements, and the objects of the top-level "items"
// array are the items.
func (lim docLimits) boundJSON(text []byte) ([]byte, Shape, int, error) {
	var open []byte // '{' or '['
	elements, items, unread := 0, 0, 0
	cut := -1
	var kept []byte
	itemsArray := -1 // depth of the open top-level "items" array, if any
	var lastKey []byte
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '"':
			start := i + 1
			for i++; i < len(text) && text[i] != '"'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
			if len(open) == 1 && open[0] == '{' && i < len(text) {
				lastKey = text[start:i]
			}
		case ':':
			if cut < 0 {
				elements++
			}
		case '{', '[':
			if cut >= 0 {
				if c == '{' && len(open) == itemsArray {
					unread++
				}
				open = append(open, c)
				if len(open) > lim.depth {
					open = open[:len(open)-1]
				}
				continue
			}
			elements++
			if c == '[' && len(open) == 1 && string(lastKey) == "items" {
				itemsArray = len(open) + 1
			}
			open = append(open, c)
			if len(open) > lim.depth {
				return nil, Shape{}, 0, tooComplex(text, i, "objects and arrays nested over %d deep", lim.depth)
			}
		case '}', ']':
			if len(open) == 0 {
				continue
			}
			open = open[:len(open)-1]
			if c == '}' && itemsArray > 0 && len(open) == itemsArray && cut < 0 {
				items++
				if items == lim.items {
					cut, kept = i+1, append([]byte(nil), open...)
				}
			}
			if c == ']' && len(open) < itemsArray {
				itemsArray = -1
			}
		}
		if elements > lim.elements {
			return nil, Shape{}, 0, tooComplex(text, i, "over %d elements", lim.elements)
		}
	}
	if cut < 0 || unread == 0 {
		return text, Shape{Bytes: len(text), Elements: elements}, 0, nil
	}
	var names []string
	for _, c := range kept {
		names = append(names, string(c))
	}
	out := closing(text[:cut], names, func(open string) string {
		if open == "{" {
			return "}"
		}
		return "]"
	})
	return out, Shape{Bytes: len(out), Elements: elements}, unread, nil
}
