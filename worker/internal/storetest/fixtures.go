package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

// testTimeout bounds every subtest so that a deadlock fails instead of hanging.
const testTimeout = 30 * time.Second

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// base is a fixed instant well in the past, so that times written by the
// suite never collide with the store's own clock.
var base = time.Date(2025, 3, 14, 9, 26, 53, 589000000, time.UTC)

// story returns a distinct multi-paragraph article text for seed n, long
// enough to be a real article for any fingerprinting method.
func story(n int, topic string) string {
	var b strings.Builder
	for p := 0; p < 6; p++ {
		if p > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "Paragraph %d of story %d about %s. ", p+1, n, topic)
		for s := 0; s < 4; s++ {
			fmt.Fprintf(&b, "Sentence %d reports figure %d on the %s matter, said officials in city %d. ",
				s+1, (n*31+p*7+s*3)%997, topic, (n+p+s)%53)
		}
	}
	return b.String()
}

func hashOf(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// sighting builds a sighting of an article with the given URL and text, seen
// on feed f under item key key. Its fingerprint is empty, so only the exact
// layers (item, URL, hash) can match it.
func sighting(f store.Feed, key, url, title, text string, seen time.Time) store.Sighting {
	return store.Sighting{
		FeedID:    f.ID,
		FeedURL:   f.URL,
		ItemKey:   key,
		ItemURL:   url,
		ItemTitle: title,
		SeenAt:    seen,
		Article: store.ArticleData{
			URL:          url,
			CanonicalURL: url,
			Title:        title,
			Author:       "A. Reporter",
			SiteName:     "Example News",
			Language:     "en",
			Text:         text,
			ContentHash:  hashOf(text),
			TextSource:   store.TextFromPage,
		},
		Print: dedup.Fingerprint{Words: len(strings.Fields(text))},
	}
}

// addFeeds adds n active feeds and returns them in id order.
func addFeeds(t *testing.T, s store.Store, n int) []store.Feed {
	t.Helper()
	ctx := testContext(t)
	for i := 0; i < n; i++ {
		cfg := store.FeedConfig{URL: fmt.Sprintf("http://127.0.0.1/feed/%d.xml", i), Name: fmt.Sprintf("Feed %d", i)}
		if err := s.AddFeed(ctx, cfg); err != nil {
			t.Fatalf("AddFeed(%s): %v", cfg.URL, err)
		}
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	if len(feeds) != n {
		t.Fatalf("Feeds after adding %d: got %d feeds", n, len(feeds))
	}
	return feeds
}

func feedByURL(t *testing.T, s store.Store, url string) store.Feed {
	t.Helper()
	feeds, err := s.Feeds(testContext(t))
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	for _, f := range feeds {
		if f.URL == url {
			return f
		}
	}
	t.Fatalf("feed %s not listed by Feeds (have %d feeds)", url, len(feeds))
	return store.Feed{}
}

func mustIngest(t *testing.T, s store.Store, sg store.Sighting) store.Outcome {
	t.Helper()
	out, err := s.Ingest(testContext(t), sg)
	if err != nil {
		t.Fatalf("Ingest(%s on feed %d): %v", sg.ItemURL, sg.FeedID, err)
	}
	return out
}

// exportAll collects the whole export; only for the suite's small archives.
func exportAll(t *testing.T, s store.Store, f store.ExportFilter) []store.Article {
	t.Helper()
	var all []store.Article
	err := s.Export(testContext(t), f, func(a store.Article) error {
		all = append(all, a)
		return nil
	})
	if err != nil {
		t.Fatalf("Export(%+v): %v", f, err)
	}
	return all
}

// sameInstant reports whether two times agree to the microsecond, the
// precision that every backend keeps.
func sameInstant(a, b time.Time) bool {
	d := a.Sub(b)
	return d < time.Microsecond && d > -time.Microsecond
}

// HoursBefore is n instants an hour apart, the first at now: the item dates
// of a feed that publishes hourly.
func HoursBefore(now time.Time, n int) []time.Time {
	dates := make([]time.Time, n)
	for i := range dates {
		dates[i] = now.Add(-time.Duration(i) * time.Hour)
	}
	return dates
}

// SaveItemDates saves dates as the item dates of every feed p has due at
// now, keeping its validators, and schedules each an hour later: feeds as a
// poll of their documents leaves them, for benchmarks of later polls.
func SaveItemDates(tb testing.TB, p store.Poller, now time.Time, dates []time.Time) {
	tb.Helper()
	ctx := context.Background()
	for {
		feeds, err := p.ClaimDueFeeds(ctx, now, 256, time.Minute)
		if err != nil {
			tb.Fatal(err)
		}
		if len(feeds) == 0 {
			return
		}
		rs := make([]store.PollResult, len(feeds))
		for i, f := range feeds {
			rs[i] = store.PollResult{FeedID: f.ID, ETag: f.ETag, LastModified: f.LastModified, BodyHash: f.BodyHash,
				PolledAt: now, NextPollAt: now.Add(time.Hour), IdentityPolicy: f.IdentityPolicy,
				ItemDates: dates, Lease: f.LeasedUntil}
		}
		for i, err := range p.SaveFeedStates(ctx, rs) {
			if err != nil {
				tb.Fatalf("save %d: %v", i, err)
			}
		}
	}
}
