package feedlist

import (
	"bytes"
	"fmt"
)

// Add returns src (a feeds.txt) with a line for e appended, keeping every
// other line, comments included, as it was. A URL already listed is refused
// with ErrDuplicateFeed, a bad URL with ErrBadURL.
func Add(src []byte, e Entry) ([]byte, error) {
	if err := checkURL(e.URL); err != nil {
		return nil, fmt.Errorf("feedlist: add: %w", err)
	}
	for n, line := range bytes.SplitAfter(src, []byte("\n")) {
		if old, ok, _ := parseLine(string(line)); ok && old.URL == e.URL {
			return nil, fmt.Errorf("feedlist: add: %w %s (on line %d)", ErrDuplicateFeed, e.URL, n+1)
		}
	}
	out := bytes.Clone(src)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return append(out, Format([]Entry{e})...), nil
}

// Remove returns src without the lines that list url, keeping every other
// line, comments included. removed reports whether a line went.
func Remove(src []byte, url string) (out []byte, removed bool) {
	out = make([]byte, 0, len(src))
	for _, line := range bytes.SplitAfter(src, []byte("\n")) {
		if e, ok, _ := parseLine(string(line)); ok && e.URL == url {
			removed = true
			continue
		}
		out = append(out, line...)
	}
	return out, removed
}

// AddAll is Add for many entries in one pass over src, so that importing
// thousands of feeds costs one read and one write of the file, not one per
// feed. Entries whose URL src already lists, or that came earlier in es,
// are left out; added counts the lines appended. A bad URL is refused
// before anything is changed.
func AddAll(src []byte, es []Entry) (out []byte, added int, err error) {
	listed := map[string]bool{}
	for _, line := range bytes.SplitAfter(src, []byte("\n")) {
		if old, ok, _ := parseLine(string(line)); ok {
			listed[old.URL] = true
		}
	}
	var fresh []Entry
	for _, e := range es {
		if err := checkURL(e.URL); err != nil {
			return nil, 0, fmt.Errorf("feedlist: add %s: %w", e.URL, err)
		}
		if listed[e.URL] {
			continue
		}
		listed[e.URL] = true
		fresh = append(fresh, e)
	}
	out = bytes.Clone(src)
	if len(fresh) == 0 {
		return out, 0, nil
	}
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return append(out, Format(fresh)...), len(fresh), nil
}
