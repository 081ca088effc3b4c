// Package feedlist reads and writes the user's list of feeds: the feeds.txt
// file (one URL a line with options) and OPML, the format every feed reader
// imports and exports.
package feedlist

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Entry is one configured feed.
type Entry struct {
	URL      string
	Name     string
	Tags     []string
	Interval time.Duration // 0: adaptive
	Line     int           // where it was read (feeds.txt line, OPML outline line); 0 if unknown
}

// Sentinel errors, wrapped in a *LineError that names file and line. They
// carry no package prefix because the file:line prefix already locates them.
var (
	ErrBadURL        = errors.New("not an http(s) feed URL")
	ErrUnknownOption = errors.New("unknown option")
	ErrBadOption     = errors.New("bad option")
	ErrDuplicateFeed = errors.New("duplicate feed")
)

// LineError is a problem with one line of a feeds file; the line is skipped.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// checkURL accepts absolute http and https URLs with a host, and nothing a
// feeds.txt line could not hold (white space, quotes, control characters).
func checkURL(raw string) error {
	if raw == "" || strings.IndexFunc(raw, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '"' || r == unicode.ReplacementChar
	}) >= 0 {
		return fmt.Errorf("%w: %q", ErrBadURL, raw)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: %q", ErrBadURL, raw)
	}
	return nil
}

// cleanText makes a name or tag fit on one line of any format: valid UTF-8,
// no characters XML forbids, runs of white space collapsed to one space.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) || !xmlChar(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// cleanTag also drops commas, which separate tags in feeds.txt, and outer
// slashes, which delimit OPML category paths.
func cleanTag(s string) string {
	return strings.Trim(cleanText(strings.ReplaceAll(s, ",", " ")), "/ ")
}

// xmlChar is the XML 1.0 Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// addTags appends the non-empty cleaned tags not already present.
func addTags(tags []string, more ...string) []string {
	for _, t := range more {
		t = cleanTag(t)
		if t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}
