package store

import (
	"testing"
	"time"
)

func TestSyncChangesNothing(t *testing.T) {
	a := FeedConfig{URL: "https://a.example/feed", Name: "A", Tags: []string{"news"}}
	b := FeedConfig{URL: "https://b.example/feed", Interval: time.Hour}
	renamed := a
	renamed.Name = "A, renamed"
	retagged := a
	retagged.Tags = []string{"news", "tech"}
	slower := b
	slower.Interval = 2 * time.Hour
	noTags, emptyTags := FeedConfig{URL: b.URL, Interval: b.Interval}, FeedConfig{URL: b.URL, Interval: b.Interval, Tags: []string{}}
	for _, tc := range []struct {
		name   string
		stored []ListedFeed
		list   []FeedConfig
		want   bool
	}{
		{"the same list", []ListedFeed{{FeedConfig: a}, {FeedConfig: b}}, []FeedConfig{b, a}, true},
		{"empty list, nothing stored", nil, nil, true},
		{"a disabled feed not listed stays so", []ListedFeed{{FeedConfig: a}, {FeedConfig: b, Disabled: true}}, []FeedConfig{a}, true},
		{"no tags and empty tags are the same", []ListedFeed{{FeedConfig: noTags}}, []FeedConfig{emptyTags}, true},
		{"the last of two lines counts", []ListedFeed{{FeedConfig: renamed}}, []FeedConfig{a, renamed}, true},
		{"a new feed", []ListedFeed{{FeedConfig: a}}, []FeedConfig{a, b}, false},
		{"a feed dropped from the list", []ListedFeed{{FeedConfig: a}, {FeedConfig: b}}, []FeedConfig{a}, false},
		{"a disabled feed listed again", []ListedFeed{{FeedConfig: a, Disabled: true}}, []FeedConfig{a}, false},
		{"renamed", []ListedFeed{{FeedConfig: a}}, []FeedConfig{renamed}, false},
		{"tags changed", []ListedFeed{{FeedConfig: a}}, []FeedConfig{retagged}, false},
		{"interval changed", []ListedFeed{{FeedConfig: b}}, []FeedConfig{slower}, false},
		{"the first of two lines does not count", []ListedFeed{{FeedConfig: a}}, []FeedConfig{a, renamed}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SyncChangesNothing(tc.stored, tc.list); got != tc.want {
				t.Errorf("SyncChangesNothing(%+v, %+v) = %v, want %v", tc.stored, tc.list, got, tc.want)
			}
		})
	}
}

func TestListDigestTellsListsApart(t *testing.T) {
	a := FeedConfig{URL: "https://a.example/feed", Name: "A", Tags: []string{"news"}}
	b := FeedConfig{URL: "https://b.example/feed", Interval: time.Hour}
	base := []FeedConfig{a, b}
	renamed := a
	renamed.Name = "A2"
	slower := b
	slower.Interval = 2 * time.Hour
	tagSplit := a
	tagSplit.Tags = []string{"ne", "ws"}
	nameIntoURL := FeedConfig{URL: a.URL + "A", Tags: a.Tags}
	if got, want := ListDigest([]FeedConfig{a, b}), ListDigest(base); string(got) != string(want) {
		t.Errorf("one list, two digests: %x and %x", got, want)
	}
	for name, list := range map[string][]FeedConfig{
		"reordered":               {b, a},
		"renamed":                 {renamed, b},
		"interval changed":        {a, slower},
		"tags split":              {tagSplit, b},
		"name moved into the URL": {nameIntoURL, b},
		"a line repeated":         {a, b, b},
		"a feed dropped":          {a},
		"empty":                   nil,
	} {
		if string(ListDigest(list)) == string(ListDigest(base)) {
			t.Errorf("%s: same digest as the list it differs from", name)
		}
	}
}
