package cli

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// passReport collects each feed's outcome during a poll or backfill, for
// the lines that say what failed and why little happened.
type passReport struct {
	mu     sync.Mutex
	polled map[string]bool
	failed []feedFailure
}

type feedFailure struct {
	url string
	err error
}

func newPassReport() *passReport { return &passReport{polled: map[string]bool{}} }

// FeedDone implements pipeline.Events.
func (r *passReport) FeedDone(rep pipeline.FeedReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.polled[rep.URL] = true
	if rep.Err != nil {
		r.failed = append(r.failed, feedFailure{rep.URL, rep.Err})
	}
}

// ItemDone implements pipeline.Events.
func (r *passReport) ItemDone(pipeline.ItemReport) {}

// allFailed returns the error that makes a pass exit exitAllFailed: every
// feed it polled failed. It names the feeds (the first few) and the most
// common error, so that the cron mail says what to look at.
func (r *passReport) allFailed(sum pipeline.Summary) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if sum.FeedsPolled == 0 || len(r.failed) < sum.FeedsPolled {
		return nil
	}
	// Errors are grouped with their URLs taken out: "fetch X: connection
	// refused" is one error for every X.
	count := map[string]int{}
	example := map[string]string{}
	for _, f := range r.failed {
		msg := explain(f.err)
		key := urlPattern.ReplaceAllString(msg, "URL")
		count[key]++
		if _, ok := example[key]; !ok {
			example[key] = msg
		}
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b)) })
	urls := make([]string, 0, len(r.failed))
	for _, f := range r.failed {
		urls = append(urls, f.url)
	}
	slices.Sort(urls)
	const shown = 5
	list := strings.Join(urls[:min(len(urls), shown)], ", ")
	if len(urls) > shown {
		list += fmt.Sprintf(" and %d more", len(urls)-shown)
	}
	top := keys[0]
	return exitError{code: exitAllFailed, msg: fmt.Sprintf(
		"every feed that was due failed (%d of %d): %s; most common error (%s): %s",
		len(r.failed), sum.FeedsPolled, list, plural(count[top], "feed", "feeds"), example[top])}
}

var urlPattern = regexp.MustCompile(`https?://[^\s"]+`)

// summaryLine is the one-line report of a pass.
func summaryLine(s pipeline.Summary) string {
	var reasons []string
	for _, r := range []policy.Reason{store.ReasonSameURL, store.ReasonSameHash, store.ReasonNearDuplicate} {
		if n := s.ByReason[string(r)]; n > 0 {
			reasons = append(reasons, fmt.Sprintf("%s %d", r, n))
		}
	}
	slices.Sort(reasons)
	dup := plural(s.Duplicates, "duplicate dropped", "duplicates dropped")
	if len(reasons) > 0 {
		dup += " (" + strings.Join(reasons, ", ") + ")"
	}
	line := fmt.Sprintf("polled %s (%d not modified): %s, %s, %s",
		plural(s.FeedsPolled, "feed", "feeds"), s.NotModified,
		plural(s.NewArticles, "new article", "new articles"), dup, plural(s.Errors, "error", "errors"))
	if s.Deferred > 0 {
		line += fmt.Sprintf(", %s left for the next poll (at most %d a feed a poll)",
			plural(s.Deferred, "new item", "new items"), pipeline.MaxNewItemsPerPoll)
	}
	if s.Unread > 0 {
		line += fmt.Sprintf(", %s not read (past %d in a feed document)",
			plural(s.Unread, "item", "items"), feed.MaxItems)
	}
	return line
}

// notPolledLine says why the feeds a pass did not poll were left alone,
// from c, which counts them: not due yet (and when the next one is),
// backing off after errors, claimed by another worker, disabled or gone.
// It is empty when every feed was polled. hint is the command that polls
// now, shown when some feed was not due.
func notPolledLine(c store.FeedCensus, now time.Time, hint string) string {
	var parts []string
	if c.NotDue > 0 {
		p := fmt.Sprintf("%d not due yet (next at %s, in %s", c.NotDue, clock(c.NextDue, now), humanDuration(max(c.NextDue.Sub(now), 0)))
		if c.BackingOff > 0 {
			p += fmt.Sprintf("; %d backing off after errors", c.BackingOff)
		}
		parts = append(parts, p+")")
	}
	if c.Leased > 0 {
		parts = append(parts, fmt.Sprintf("%d claimed by another worker", c.Leased))
	}
	if c.Disabled > 0 {
		parts = append(parts, fmt.Sprintf("%d disabled (not in the feeds file, or switched off)", c.Disabled))
	}
	if c.Gone > 0 {
		parts = append(parts, fmt.Sprintf("%d gone (answered 410; wiresift feeds enable URL revives one)", c.Gone))
	}
	if len(parts) == 0 {
		return ""
	}
	line := "not polled: " + strings.Join(parts, ", ")
	if hint != "" && c.NotDue > 0 {
		line += "; to poll every feed now: " + hint
	}
	return line
}

// leftByPoll is what a poll pass left alone, from the census taken as it
// started (c) and the number of feeds it polled: the feeds that were not
// due, leased, disabled or gone then, and, once the pass has run to its
// end, the due ones another worker claimed first. A feed that came due
// between the census and the first claim was polled, not left: it is taken
// off the not-due count.
func leftByPoll(c store.FeedCensus, polled int, finished bool) store.FeedCensus {
	switch {
	case polled > c.Due:
		c.NotDue = max(c.NotDue-(polled-c.Due), 0)
		c.BackingOff = min(c.BackingOff, c.NotDue)
	case finished:
		c.Leased += c.Due - polled
	}
	c.Due = 0
	return c
}

// leftByBackfill counts, from the whole feed list, the feeds a backfill did
// not poll (by URL) as a census would.
func leftByBackfill(feeds []store.Feed, polled map[string]bool, now time.Time) store.FeedCensus {
	var c store.FeedCensus
	for _, f := range feeds {
		if polled[f.URL] {
			continue
		}
		switch {
		case f.State == store.FeedDisabled:
			c.Disabled++
		case f.State == store.FeedGone:
			c.Gone++
		case f.LeasedUntil.After(now):
			c.Leased++
		case f.NextPollAt.After(now):
			c.NotDue++
			if f.ConsecutiveErrors > 0 {
				c.BackingOff++
			}
			if c.NextDue.IsZero() || f.NextPollAt.Before(c.NextDue) {
				c.NextDue = f.NextPollAt
			}
		}
	}
	return c
}

// clock formats t for a summary line: the time of day, with the date when
// it is not today.
func clock(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04 MST")
	}
	return t.Format("2006-01-02 15:04 MST")
}

// humanDuration rounds d for a person: "58m", "3h10m", "40s".
func humanDuration(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
}
