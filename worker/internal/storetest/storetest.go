// Package storetest is the contract suite that every store.Store backend must
// pass. Each backend's own test calls Run with a function that opens a fresh,
// empty store; the suite then checks behaviour only through the interface, so
// SQLite and PostgreSQL are held to the same rules.
//
// Rules the suite pins down where store.go leaves a choice:
//   - A new feed is due at once (NextPollAt = when it was added).
//   - ClaimDueFeeds takes active and blocked feeds (blocked are still polled
//     with backoff), earliest NextPollAt first; never disabled or gone ones.
//   - SyncFeeds re-enables a disabled feed that is back in the list; a gone
//     feed stays gone. RemoveFeed disables (articles stay); AddFeed of a
//     disabled feed re-enables it, of any other known feed is ErrFeedExists.
//   - SaveFeedState: empty URL or State mean unchanged; unknown id ErrNotFound.
//   - Times round-trip to the microsecond. Export: Since inclusive, Until
//     exclusive, on first_seen; sources in sighting order.
//   - Search: Rank is higher-is-better; snippets mark matches as [term];
//     FTS syntax errors wrap store.ErrBadQuery.
//   - Stats.DuplicatesByReason counts folded-in sightings (not "first").
//   - Export callbacks may read and write the store without deadlock.
//   - Each article marks the sighting whose page its text and metadata are
//     (Source.Text current); a fuller copy's page replaces it whole, and the
//     replaced sighting stays, marked replaced with the time.
package storetest

import (
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// Opener returns a fresh, empty store for one subtest. It registers its own
// cleanup (t.Cleanup) for whatever it created.
type Opener func(t *testing.T) store.Store

// Run runs the whole contract suite against the backend that open makes.
func Run(t *testing.T, open Opener) {
	groups := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"Feeds", testFeeds},
		{"SyncedFrom", testSyncedFrom},
		{"Claim", testClaim},
		{"FeedState", testFeedState},
		{"Ingest", testIngest},
		{"NearDuplicate", testNearDuplicate},
		{"Concurrency", testConcurrency},
		{"Export", testExport},
		{"Search", testSearch},
		{"Stats", testStats},
		{"Listings", testListings},
		{"Reprocess", testReprocess},
		{"Integrity", testIntegrity},
		{"Outbox", testOutbox},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}
