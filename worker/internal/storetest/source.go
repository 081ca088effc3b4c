package storetest

import (
	"context"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// testSyncedFrom checks store.SourceSyncer, which a backend may leave out:
// a poll skips the parse of its feeds file only while SyncedFrom says the
// feeds are what the sync of that same file made them, so any change to
// what a sync compares must void it, and nothing else may claim it.
func testSyncedFrom(t *testing.T, open Opener) {
	const a, b, c = "http://127.0.0.1/a.xml", "http://127.0.0.1/b.xml", "http://127.0.0.1/c.xml"
	list := []store.FeedConfig{{URL: a, Name: "A"}, {URL: b, Tags: []string{"wire"}}}
	file, edited := []byte("digest of the file"), []byte("digest of the file, edited")
	// A step changes the store the way some command does.
	type step func(ctx context.Context, t *testing.T, s store.Store) error
	syncFrom := func(source []byte) step {
		return func(ctx context.Context, _ *testing.T, s store.Store) error {
			return s.(store.SourceSyncer).SyncFeedsFrom(ctx, list, source)
		}
	}
	cases := []struct {
		name   string
		steps  []step
		source []byte
		want   bool
	}{
		{"after a sync from the file", []step{syncFrom(file)}, file, true},
		{"after a second sync from the file, which changed nothing",
			[]step{syncFrom(file), syncFrom(file)}, file, true},
		{"another file", []step{syncFrom(file)}, edited, false},
		{"nothing synced yet", nil, file, false},
		{"no source asked", []step{syncFrom(nil)}, nil, false},
		{"after a sync without a source", []step{
			func(ctx context.Context, t *testing.T, s store.Store) error { return s.SyncFeeds(ctx, list) },
		}, file, false},
		{"after another file with the same list", []step{syncFrom(file), syncFrom(edited)}, edited, true},
		{"the first file, after another with the same list", []step{syncFrom(file), syncFrom(edited)}, file, false},
		{"after the list changed without a source", []step{syncFrom(file),
			func(ctx context.Context, t *testing.T, s store.Store) error { return s.SyncFeeds(ctx, list[:1]) },
		}, file, false},
		{"after a feed was added beside the file", []step{syncFrom(file),
			func(ctx context.Context, t *testing.T, s store.Store) error {
				return s.AddFeed(ctx, store.FeedConfig{URL: c})
			},
		}, file, false},
		{"after a listed feed was removed", []step{syncFrom(file),
			func(ctx context.Context, t *testing.T, s store.Store) error { return s.RemoveFeed(ctx, a) },
		}, file, false},
		{"after a poll moved a feed to a new URL", []step{syncFrom(file),
			func(ctx context.Context, t *testing.T, s store.Store) error {
				return s.SaveFeedState(ctx, store.PollResult{FeedID: feedIDOf(t, s, a), URL: c})
			},
		}, file, false},
		// Gone is a state a sync keeps: the feeds are still what the
		// file makes them.
		{"after a feed went gone", []step{syncFrom(file),
			func(ctx context.Context, t *testing.T, s store.Store) error {
				return s.SetFeedState(ctx, a, store.FeedGone)
			},
		}, file, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			ss, ok := s.(store.SourceSyncer)
			if !ok {
				t.Skip("the store does not implement store.SourceSyncer")
			}
			ctx := testContext(t)
			for i, step := range tc.steps {
				if err := step(ctx, t, s); err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
			}
			got, err := ss.SyncedFrom(ctx, tc.source)
			if err != nil || got != tc.want {
				t.Errorf("SyncedFrom(%q) = %v, %v; want %v", tc.source, got, err, tc.want)
			}
		})
	}

	t.Run("SyncFromAFileThatChangesTheFeedsWritesThem", func(t *testing.T) {
		// The source rides with a sync; it never stands for one.
		s := open(t)
		ss, ok := s.(store.SourceSyncer)
		if !ok {
			t.Skip("the store does not implement store.SourceSyncer")
		}
		ctx := testContext(t)
		if err := ss.SyncFeedsFrom(ctx, list, file); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveFeed(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := ss.SyncFeedsFrom(ctx, list, file); err != nil {
			t.Fatal(err)
		}
		if got := statesByURL(t, s); got[b].State != store.FeedActive {
			t.Errorf("feed b after a sync of the file that lists it: state %q, want active", got[b].State)
		}
		if ok, err := ss.SyncedFrom(ctx, file); err != nil || !ok {
			t.Errorf("SyncedFrom after the sync that put b back = %v, %v; want true", ok, err)
		}
	})
}
