package feedlist

import (
	"bytes"
	"strings"
	"time"
)

// Format writes entries as a feeds.txt that Parse reads back to the same
// entries (for writing a whole list, as after an OPML import). To change one
// feed of an existing file and keep its comments, use Add and Remove.
func Format(entries []Entry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(e.URL)
		if name := cleanText(e.Name); name != "" {
			b.WriteString("  name=")
			b.WriteString(quote(name))
		}
		if tags := addTags(nil, e.Tags...); len(tags) > 0 {
			b.WriteString("  tags=")
			b.WriteString(quoteIfNeeded(strings.Join(tags, ",")))
		}
		if e.Interval > 0 {
			b.WriteString("  interval=")
			b.WriteString(formatDuration(e.Interval))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func quote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

func quoteIfNeeded(s string) string {
	if strings.ContainsAny(s, " \t\"#\\") {
		return quote(s)
	}
	return s
}

// formatDuration writes 30m rather than time.Duration's 30m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
