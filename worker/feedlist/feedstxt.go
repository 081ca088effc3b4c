package feedlist

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Parse reads a feeds.txt: one feed URL a line, optionally followed by
// options (interval=30m tags=world,energy name="Example News"); blank lines
// and lines starting with # are ignored, and # after white space starts a
// comment. A bad line is reported as a *LineError and skipped; the good lines
// are still returned. file names the file in errors.
func Parse(r io.Reader, file string) ([]Entry, []error) {
	// The whole file at once, since every poll reads it: its lines are
	// then slices of one string rather than a string each, and their count
	// sizes the list and the duplicate check, which would otherwise grow
	// (and copy) a dozen times for ten thousand feeds.
	data, readErr := io.ReadAll(r)
	text := string(data)
	lines := strings.Count(text, "\n") + 1
	var (
		entries = make([]Entry, 0, lines)
		errs    []error
		firstOn = make(map[string]int, lines)
	)
	text = strings.TrimPrefix(text, "\uFEFF")
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		e, ok, err := parseLine(line)
		switch {
		case err != nil:
			errs = append(errs, &LineError{File: file, Line: n, Err: err})
		case ok && firstOn[e.URL] > 0:
			err := fmt.Errorf("%w %s (first on line %d)", ErrDuplicateFeed, e.URL, firstOn[e.URL])
			errs = append(errs, &LineError{File: file, Line: n, Err: err})
		case ok:
			e.Line = n
			firstOn[e.URL] = n
			entries = append(entries, e)
		}
	}
	if readErr != nil {
		errs = append(errs, fmt.Errorf("feedlist: read %s: %w", file, readErr))
	}
	return entries, errs
}

// parseLine returns ok=false for blank and comment lines.
func parseLine(line string) (e Entry, ok bool, err error) {
	var room [4]string // a line's fields, on the stack for most lines
	fields, err := splitFields(room[:0], line)
	if err != nil || len(fields) == 0 {
		return Entry{}, false, err
	}
	e.URL = fields[0]
	if err := checkURL(e.URL); err != nil {
		return Entry{}, false, err
	}
	seen := map[string]bool{}
	for _, f := range fields[1:] {
		key, value, hasValue := strings.Cut(f, "=")
		if seen[key] {
			return Entry{}, false, fmt.Errorf("%w: %q given twice", ErrBadOption, key)
		}
		seen[key] = true
		if err := e.setOption(key, value, hasValue); err != nil {
			return Entry{}, false, err
		}
	}
	return e, true, nil
}

func (e *Entry) setOption(key, value string, hasValue bool) error {
	switch key {
	case "interval", "tags", "name":
	default:
		return fmt.Errorf("%w %q", ErrUnknownOption, key)
	}
	if !hasValue {
		return fmt.Errorf("%w: %q needs a value (%s=…)", ErrBadOption, key, key)
	}
	switch key {
	case "interval":
		d, err := time.ParseDuration(value)
		if err != nil || d <= 0 {
			return fmt.Errorf("%w: interval=%q is not a positive duration such as 30m or 2h", ErrBadOption, value)
		}
		e.Interval = d
	case "tags":
		e.Tags = addTags(nil, strings.Split(value, ",")...)
	case "name":
		e.Name = cleanText(value)
	}
	return nil
}

// splitFields splits a line at white space. Double quotes group white space
// into a field (name="Example News"), with \" and \\ as escapes inside them;
// a # at the start of a field begins a comment. The fields are appended to
// dst.
func splitFields(dst []string, line string) ([]string, error) {
	if !strings.ContainsRune(line, '"') && utf8.ValidString(line) {
		return splitPlain(dst, line), nil
	}
	return splitQuoted(dst, line)
}

// splitPlain is splitFields for a line without quotes in valid UTF-8, as
// nearly every line is: its fields are slices of the line, not copies
// built a rune at a time (every poll reads the whole feeds file).
func splitPlain(fields []string, line string) []string {
	for {
		line = strings.TrimLeft(line, blanks)
		if line == "" || line[0] == '#' {
			return fields
		}
		end := strings.IndexAny(line, blanks)
		if end < 0 {
			end = len(line)
		}
		fields = append(fields, line[:end])
		line = line[end:]
	}
}

// splitQuoted is splitFields for any line.
func splitQuoted(fields []string, line string) ([]string, error) {
	var (
		cur     strings.Builder
		inField bool
		quoted  bool
		escaped bool
	)
	for _, r := range line {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quoted && r == '\\':
			escaped = true
		case r == '"':
			quoted = !quoted
			inField = true
		case quoted:
			cur.WriteRune(r)
		case isBlank(r):
			if inField {
				fields = append(fields, cur.String())
				cur.Reset()
				inField = false
			}
		case r == '#' && !inField:
			return fields, nil
		default:
			cur.WriteRune(r)
			inField = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("%w: unterminated quote", ErrBadOption)
	}
	if inField {
		fields = append(fields, cur.String())
	}
	return fields, nil
}

// blanks separate fields.
const blanks = " \t\r\n"

func isBlank(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' }
