package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/feed"
)

// items builds n distinct items; mutate adjusts item i.
func items(n int, mutate func(i int, it *feed.Item)) []feed.Item {
	out := make([]feed.Item, n)
	for i := range out {
		d := time.Date(2024, 5, 11, 12, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour)
		out[i] = feed.Item{
			GUID:      fmt.Sprintf("guid-%d", i),
			Link:      fmt.Sprintf("https://a.example/story/%d", i),
			Title:     fmt.Sprintf("Story %d", i),
			Published: &d,
		}
		if mutate != nil {
			mutate(i, &out[i])
		}
	}
	return out
}

func TestChooseIdentity(t *testing.T) {
	tests := []struct {
		name    string
		current string
		items   []feed.Item
		want    string
	}{
		{"healthy feed keeps GUIDs", "", items(20, nil), IdentityGUID},
		{"no items keeps the current policy", IdentityLink, nil, IdentityLink},
		{"all items share one GUID", "", items(10, func(_ int, it *feed.Item) { it.GUID = "same" }), IdentityLink},
		{"all GUIDs blank", "", items(10, func(_ int, it *feed.Item) { it.GUID = "" }), IdentityLink},
		{"one repeated GUID in ten is over the threshold", "", items(10, func(i int, it *feed.Item) {
			if i == 1 {
				it.GUID = "guid-0"
			}
		}), IdentityLink},
		{"one blank GUID in a hundred is tolerated", "", items(100, func(i int, it *feed.Item) {
			if i == 50 {
				it.GUID = ""
			}
		}), IdentityGUID},
		{"six blank GUIDs in a hundred is over the threshold", "", items(100, func(i int, it *feed.Item) {
			if i%17 == 0 {
				it.GUID = ""
			}
		}), IdentityLink},
		{"GUIDs and links all the same", "", items(10, func(_ int, it *feed.Item) { it.GUID, it.Link = "same", "https://a.example/" }), IdentityLinkDateTitle},
		{"blank GUIDs and blank links", "", items(10, func(_ int, it *feed.Item) { it.GUID, it.Link = "", "" }), IdentityLinkDateTitle},
		{"links differing only in host case are the same link", "", items(4, func(i int, it *feed.Item) {
			it.GUID = ""
			it.Link = map[bool]string{true: "https://A.example/x", false: "https://a.example/x"}[i%2 == 0]
		}), IdentityLinkDateTitle},
		{"all-same link alone does not matter while GUIDs work", "", items(10, func(_ int, it *feed.Item) { it.Link = "https://a.example/" }), IdentityGUID},
		{"link policy escalates when links break", IdentityLink, items(10, func(_ int, it *feed.Item) { it.Link = "https://a.example/" }), IdentityLinkDateTitle},
		{"never goes back from link to GUID", IdentityLink, items(20, nil), IdentityLink},
		{"never goes back from link_date_title", IdentityLinkDateTitle, items(20, nil), IdentityLinkDateTitle},
		{"unknown current policy is treated as guid", "weird", items(20, nil), IdentityGUID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChooseIdentity(tt.current, tt.items); got != tt.want {
				t.Errorf("ChooseIdentity(%q, …) = %q, want %q", tt.current, got, tt.want)
			}
		})
	}
}

func TestChooseIdentityAcrossDetectsGUIDsThatChangeEveryFetch(t *testing.T) {
	fetch := func(n int) []feed.Item {
		return items(10, func(i int, it *feed.Item) { it.GUID = fmt.Sprintf("fetch-%d-item-%d", n, i) })
	}
	tests := []struct {
		name     string
		previous []feed.Item
		current  []feed.Item
		want     string
	}{
		{"stable GUIDs", items(10, nil), items(10, nil), IdentityGUID},
		{"first fetch has no previous", nil, fetch(2), IdentityGUID},
		{"same links, new GUIDs", fetch(1), fetch(2), IdentityLink},
		{"same title and date, new GUID and link", items(3, nil), items(3, func(i int, it *feed.Item) {
			it.GUID = fmt.Sprintf("rotated-%d", i)
			it.Link = fmt.Sprintf("https://a.example/story/%d?session=%d", i, i)
		}), IdentityLink},
		{"new items only (the window moved on)", items(10, nil), items(10, func(i int, it *feed.Item) {
			d := it.Published.Add(24 * time.Hour)
			it.GUID, it.Link, it.Title, it.Published = fmt.Sprintf("new-%d", i), fmt.Sprintf("https://a.example/new/%d", i), fmt.Sprintf("New %d", i), &d
		}), IdentityGUID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChooseIdentityAcross(IdentityGUID, tt.previous, tt.current); got != tt.want {
				t.Errorf("ChooseIdentityAcross = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestItemKeysKeepDistinctItemsApart is the property the policies exist for:
// under the policy ChooseIdentity picks, distinct items get distinct keys.
func TestItemKeysKeepDistinctItemsApart(t *testing.T) {
	broken := map[string][]feed.Item{
		"one GUID":            items(10, func(_ int, it *feed.Item) { it.GUID = "same" }),
		"blank GUIDs":         items(10, func(_ int, it *feed.Item) { it.GUID = "" }),
		"one GUID, one link":  items(10, func(_ int, it *feed.Item) { it.GUID, it.Link = "same", "https://a.example/" }),
		"nothing but titles":  items(10, func(_ int, it *feed.Item) { it.GUID, it.Link, it.Published = "", "", nil }),
		"same title and link": items(10, func(_ int, it *feed.Item) { it.GUID, it.Link, it.Title = "", "https://a.example/live", "Live" }),
	}
	for name, its := range broken {
		t.Run(name, func(t *testing.T) {
			policy := ChooseIdentity("", its)
			keys := map[string]int{}
			for i, it := range its {
				k := ItemKey(policy, it)
				if k == "" {
					t.Errorf("item %d has an empty key under %q", i, policy)
				}
				if j, dup := keys[k]; dup {
					t.Errorf("items %d and %d share key %q under %q", j, i, k, policy)
				}
				keys[k] = i
			}
		})
	}
}

func TestItemKey(t *testing.T) {
	d := time.Date(2024, 5, 11, 7, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	it := feed.Item{GUID: "g-1", Link: "HTTPS://WWW.A.example/Story?id=1#part-2", Title: "T", Published: &d}
	tests := []struct {
		policy, want string
	}{
		{IdentityGUID, "g-1"},
		{"", "g-1"},
		{IdentityLink, "https://www.a.example/Story?id=1#part-2"},
	}
	for _, tt := range tests {
		if got := ItemKey(tt.policy, it); got != tt.want {
			t.Errorf("ItemKey(%q) = %q, want %q", tt.policy, got, tt.want)
		}
	}
	ldt := ItemKey(IdentityLinkDateTitle, it)
	sameInstantUTC := d.UTC()
	other := it
	other.Published = &sameInstantUTC
	if got := ItemKey(IdentityLinkDateTitle, other); got != ldt {
		t.Errorf("same instant in another zone gave key %q, want %q", got, ldt)
	}
	other.Title = "T2"
	if got := ItemKey(IdentityLinkDateTitle, other); got == ldt {
		t.Errorf("different title gave the same key %q", got)
	}
}

// TestCorpusFeedsKeepGUIDIdentity: the dev corpus's feeds have unique
// permalink GUIDs, so they keep the GUID policy, and every item gets a key.
func TestCorpusFeedsKeepGUIDIdentity(t *testing.T) {
	files, _ := filepath.Glob("../../../../shared/corpus/dedup-dev/feeds/*.xml")
	if len(files) == 0 {
		t.Skip("dedup corpus not present")
	}
	for _, path := range files {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := feed.Parse(body, "application/rss+xml", "http://127.0.0.1:8765/feeds/"+filepath.Base(path))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if p := ChooseIdentity("", f.Items); p != IdentityGUID {
			t.Errorf("%s: identity policy %q, want guid (its GUIDs are unique permalinks)", path, p)
		}
		for i, it := range f.Items {
			for _, k := range []string{IdentityGUID, IdentityLink, IdentityLinkDateTitle} {
				if ItemKey(k, it) == "" {
					t.Errorf("%s item %d: empty %s key", path, i, k)
				}
			}
		}
	}
}

func TestHad(t *testing.T) {
	d := time.Date(2024, 5, 11, 12, 0, 0, 0, time.UTC)
	it := feed.Item{GUID: "same", Link: "https://a.example/story/1", Title: "Story 1", Published: &d}
	ldtKey := ItemKey(IdentityLinkDateTitle, it)
	tests := []struct {
		name     string
		identity string
		recorded []ItemSighting
		want     bool
	}{
		{"nothing recorded", IdentityLink, nil, false},
		{"recorded under its GUID: the link is the item", IdentityLink,
			[]ItemSighting{{Key: "guid-1", Link: "https://a.example/story/1", Title: "Old title"}}, true},
		{"link differs only in host case", IdentityLink,
			[]ItemSighting{{Key: "guid-1", Link: "https://A.example/story/1"}}, true},
		{"another link", IdentityLink,
			[]ItemSighting{{Key: "guid-2", Link: "https://a.example/story/2"}}, false},
		{"link+date+title: weaker key, same link and title", IdentityLinkDateTitle,
			[]ItemSighting{{Key: "https://a.example/story/1", Link: "https://a.example/story/1", Title: "Story 1"}}, true},
		{"link+date+title: same link, other title", IdentityLinkDateTitle,
			[]ItemSighting{{Key: "https://a.example/story/1", Link: "https://a.example/story/1", Title: "Story 2"}}, false},
		{"link+date+title: recorded under this policy with another key is another item", IdentityLinkDateTitle,
			[]ItemSighting{{Key: "ldt:0000", Link: "https://a.example/story/1", Title: "Story 1"}}, false},
		{"guid identity never looks at links", IdentityGUID,
			[]ItemSighting{{Key: "guid-1", Link: "https://a.example/story/1"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Had(tc.identity, it, tc.recorded); got != tc.want {
				t.Errorf("Had(%s, %v) = %v, want %v (item's ldt key %s)", tc.identity, tc.recorded, got, tc.want, ldtKey)
			}
		})
	}
}
