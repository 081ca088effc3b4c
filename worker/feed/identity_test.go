package feed

import (
	"fmt"
	"testing"
	"time"
)

// items builds n distinct items; mutate adjusts item i.
func items(n int, mutate func(i int, it *Item)) []Item {
	out := make([]Item, n)
	for i := range out {
		d := time.Date(2024, 5, 11, 12, 0, 0, 0, time.UTC).Add(-time.Duration(i) * time.Hour)
		out[i] = Item{
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

func TestChoosePolicy(t *testing.T) {
	tests := []struct {
		name    string
		current string
		items   []Item
		want    string
	}{
		{"healthy feed keeps GUIDs", "", items(20, nil), PolicyGUID},
		{"no items keeps the current policy", PolicyLink, nil, PolicyLink},
		{"all items share one GUID", "", items(10, func(_ int, it *Item) { it.GUID = "same" }), PolicyLink},
		{"all GUIDs blank", "", items(10, func(_ int, it *Item) { it.GUID = "" }), PolicyLink},
		{"one repeated GUID in ten is over the threshold", "", items(10, func(i int, it *Item) {
			if i == 1 {
				it.GUID = "guid-0"
			}
		}), PolicyLink},
		{"one blank GUID in a hundred is tolerated", "", items(100, func(i int, it *Item) {
			if i == 50 {
				it.GUID = ""
			}
		}), PolicyGUID},
		{"six blank GUIDs in a hundred is over the threshold", "", items(100, func(i int, it *Item) {
			if i%17 == 0 {
				it.GUID = ""
			}
		}), PolicyLink},
		{"GUIDs and links all the same", "", items(10, func(_ int, it *Item) { it.GUID, it.Link = "same", "https://a.example/" }), PolicyLinkDateTitle},
		{"blank GUIDs and blank links", "", items(10, func(_ int, it *Item) { it.GUID, it.Link = "", "" }), PolicyLinkDateTitle},
		{"links differing only in host case are the same link", "", items(4, func(i int, it *Item) {
			it.GUID = ""
			it.Link = map[bool]string{true: "https://A.example/x", false: "https://a.example/x"}[i%2 == 0]
		}), PolicyLinkDateTitle},
		{"all-same link alone does not matter while GUIDs work", "", items(10, func(_ int, it *Item) { it.Link = "https://a.example/" }), PolicyGUID},
		{"link policy escalates when links break", PolicyLink, items(10, func(_ int, it *Item) { it.Link = "https://a.example/" }), PolicyLinkDateTitle},
		{"never goes back from link to GUID", PolicyLink, items(20, nil), PolicyLink},
		{"never goes back from link_date_title", PolicyLinkDateTitle, items(20, nil), PolicyLinkDateTitle},
		{"unknown current policy is treated as guid", "weird", items(20, nil), PolicyGUID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChoosePolicy(tt.current, tt.items); got != tt.want {
				t.Errorf("ChoosePolicy(%q, …) = %q, want %q", tt.current, got, tt.want)
			}
		})
	}
}

func TestChoosePolicyAcrossDetectsGUIDsThatChangeEveryFetch(t *testing.T) {
	fetch := func(n int) []Item {
		return items(10, func(i int, it *Item) { it.GUID = fmt.Sprintf("fetch-%d-item-%d", n, i) })
	}
	tests := []struct {
		name     string
		previous []Item
		current  []Item
		want     string
	}{
		{"stable GUIDs", items(10, nil), items(10, nil), PolicyGUID},
		{"first fetch has no previous", nil, fetch(2), PolicyGUID},
		{"same links, new GUIDs", fetch(1), fetch(2), PolicyLink},
		{"same title and date, new GUID and link", items(3, nil), items(3, func(i int, it *Item) {
			it.GUID = fmt.Sprintf("rotated-%d", i)
			it.Link = fmt.Sprintf("https://a.example/story/%d?session=%d", i, i)
		}), PolicyLink},
		{"new items only (the window moved on)", items(10, nil), items(10, func(i int, it *Item) {
			d := it.Published.Add(24 * time.Hour)
			it.GUID, it.Link, it.Title, it.Published = fmt.Sprintf("new-%d", i), fmt.Sprintf("https://a.example/new/%d", i), fmt.Sprintf("New %d", i), &d
		}), PolicyGUID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChoosePolicyAcross(PolicyGUID, tt.previous, tt.current); got != tt.want {
				t.Errorf("ChoosePolicyAcross = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestItemKeysKeepDistinctItemsApart is the property the policies exist for:
// under the policy ChoosePolicy picks, distinct items get distinct keys.
func TestItemKeysKeepDistinctItemsApart(t *testing.T) {
	broken := map[string][]Item{
		"one GUID":            items(10, func(_ int, it *Item) { it.GUID = "same" }),
		"blank GUIDs":         items(10, func(_ int, it *Item) { it.GUID = "" }),
		"one GUID, one link":  items(10, func(_ int, it *Item) { it.GUID, it.Link = "same", "https://a.example/" }),
		"nothing but titles":  items(10, func(_ int, it *Item) { it.GUID, it.Link, it.Published = "", "", nil }),
		"same title and link": items(10, func(_ int, it *Item) { it.GUID, it.Link, it.Title = "", "https://a.example/live", "Live" }),
	}
	for name, its := range broken {
		t.Run(name, func(t *testing.T) {
			policy := ChoosePolicy("", its)
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
	it := Item{GUID: "g-1", Link: "HTTPS://WWW.A.example/Story?id=1#part-2", Title: "T", Published: &d}
	tests := []struct {
		policy, want string
	}{
		{PolicyGUID, "g-1"},
		{"", "g-1"},
		{PolicyLink, "https://www.a.example/Story?id=1#part-2"},
	}
	for _, tt := range tests {
		if got := ItemKey(tt.policy, it); got != tt.want {
			t.Errorf("ItemKey(%q) = %q, want %q", tt.policy, got, tt.want)
		}
	}
	ldt := ItemKey(PolicyLinkDateTitle, it)
	sameInstantUTC := d.UTC()
	other := it
	other.Published = &sameInstantUTC
	if got := ItemKey(PolicyLinkDateTitle, other); got != ldt {
		t.Errorf("same instant in another zone gave key %q, want %q", got, ldt)
	}
	other.Title = "T2"
	if got := ItemKey(PolicyLinkDateTitle, other); got == ldt {
		t.Errorf("different title gave the same key %q", got)
	}
}
