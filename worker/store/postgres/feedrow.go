package postgres

import (
	"sort"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// feedColumns and feedRow.targets read one feeds row; keep them in step.
const feedColumns = `id, url, name, tags, interval_ns, state,
	etag, last_modified, body_hash, last_poll_at, next_poll_at,
	last_status, last_error, consecutive_errors, identity_policy, redirect_to, leased_until, item_dates`

// feedRow holds a scanned feeds row until the nullable and unit-bearing
// columns are turned into store.Feed fields.
type feedRow struct {
	f        store.Feed
	interval int64
	lastPoll *time.Time
	leased   *time.Time
	dates    []int64
}

func (r *feedRow) targets() []any {
	f := &r.f
	return []any{&f.ID, &f.URL, &f.Name, &f.Tags, &r.interval, &f.State,
		&f.ETag, &f.LastModified, &f.BodyHash, &r.lastPoll, &f.NextPollAt,
		&f.LastStatus, &f.LastError, &f.ConsecutiveErrors, &f.IdentityPolicy, &f.RedirectTo, &r.leased, &r.dates}
}

func (r *feedRow) feed() store.Feed {
	f := r.f
	f.Interval = time.Duration(r.interval)
	f.LastPollAt = timeOrZero(r.lastPoll)
	f.LeasedUntil = timeOrZero(r.leased)
	if len(f.Tags) == 0 {
		f.Tags = nil // as the SQLite store reads an empty list
	}
	for _, sec := range r.dates {
		f.ItemDates = append(f.ItemDates, time.Unix(sec, 0).UTC())
	}
	return f
}

// itemDateSeconds stores dates as Unix seconds; nil (keep the stored dates)
// stays NULL.
func itemDateSeconds(dates []time.Time) []int64 {
	if dates == nil {
		return nil
	}
	secs := make([]int64, 0, len(dates))
	for _, d := range dates {
		secs = append(secs, d.Unix())
	}
	return secs
}

func tagsOf(f store.FeedConfig) []string {
	if f.Tags == nil {
		return []string{}
	}
	return f.Tags
}

// sortByDue keeps ClaimDueFeeds' answer in due order: RETURNING does not
// promise the subquery's order.
func sortByDue(feeds []store.Feed) {
	sort.SliceStable(feeds, func(i, j int) bool {
		if !feeds[i].NextPollAt.Equal(feeds[j].NextPollAt) {
			return feeds[i].NextPollAt.Before(feeds[j].NextPollAt)
		}
		return feeds[i].ID < feeds[j].ID
	})
}
