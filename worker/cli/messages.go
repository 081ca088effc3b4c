package cli

import (
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/wiresift/wiresift/worker/netguard"
)

// flagError matches the flag package's parse errors, whose wording
// ("parse error") says nothing a user can act on.
var flagError = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-([\w-]+): (.*)$`)

// flagMessage rewrites a flag parse error so that it says what the flag
// wants.
func flagMessage(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf("unknown flag %s", name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf("%s needs a value", name)
	}
	m := flagError.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	value, name, why := m[1], m[2], m[3]
	f := fs.Lookup(name)
	if f == nil {
		return msg
	}
	var want string
	switch f.Value.(flag.Getter).Get().(type) {
	case time.Duration:
		want = "want a duration with its unit, such as 30s, 5m or 1h30m"
		if isNumber(value) {
			want = fmt.Sprintf("a duration needs a unit: %ss for seconds, %sm for minutes", value, value)
		}
	case bool:
		want = "want true or false"
	case int, int64, uint, uint64:
		want = "want a whole number"
		if why == "value out of range" {
			want = "the number is out of range"
		}
	default:
		want = why
	}
	return fmt.Sprintf("-%s %q: %s", name, value, want)
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

// internalPrefixes are the package names that errors carry for developers
// ("sqlite: …", "store: …"); a user is shown the message without them.
var internalPrefixes = []string{
	"sqlite", "postgres", "store", "pipeline", "feedlist", "opml", "fetch",
	"netguard", "feed", "extract", "migrate", "schedule", "status", "cli",
}

// humanize turns an error chain into a message for a user: no package
// names, and no segment said twice in a row ("opml: opml: open x" reads
// "open x").
func humanize(msg string) string {
	parts := strings.Split(msg, ": ")
	out := parts[:0:0]
	for _, p := range parts {
		if isInternalPrefix(p) {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return msg
	}
	return strings.Join(out, ": ")
}

func isInternalPrefix(p string) bool {
	for _, name := range internalPrefixes {
		if p == name {
			return true
		}
	}
	return false
}

// plural says "1 error", "2 errors".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// searchTerms counts a query's words, operators left out.
func searchTerms(query string) int {
	n := 0
	for _, w := range strings.Fields(query) {
		switch strings.Trim(w, `"()`) {
		case "", "AND", "OR", "NOT":
		default:
			n++
		}
	}
	return n
}

// queryProblem is what was wrong with a search query, in the user's terms:
// the database's own wording, without its codes.
func queryProblem(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "SQL logic error: "); i >= 0 {
		msg = msg[i+len("SQL logic error: "):]
	} else if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	msg = strings.TrimSuffix(msg, " (1)")
	switch {
	case strings.Contains(msg, "unterminated string"):
		return "a quote is not closed"
	case strings.Contains(msg, `syntax error near ""`):
		return "it ends where more was expected (an open parenthesis, or an operator with nothing after it)"
	case strings.Contains(msg, "syntax error near "):
		_, near, _ := strings.Cut(msg, "syntax error near ")
		return "unexpected " + near + " (an operator with nothing on one side?)"
	case strings.Contains(msg, "no such column"):
		return "unknown column filter (" + msg + "); only title: is known"
	}
	return msg
}

// explain is an error as a user reads it: humanized, and a refusal of a
// private address says how to allow it.
func explain(err error) string {
	msg := humanize(err.Error())
	var fe *netguard.ForbiddenError
	if errors.As(err, &fe) {
		return msg + fmt.Sprintf("; to fetch from it anyway, add -allow-net %s", fe.Addr.Addr())
	}
	if errors.Is(err, netguard.ErrForbiddenAddress) {
		return msg + "; to fetch from it anyway, add its address to -allow-net"
	}
	return msg
}

// explainStored is explain for an error kept as text (a feed's last error).
func explainStored(msg string) string {
	// The hint goes where the refusal is said, so that a line cut short
	// for the table still shows it.
	return strings.Replace(humanize(msg), "forbidden address", "address refused (see -allow-net)", 1)
}
