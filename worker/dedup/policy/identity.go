package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/wiresift/wiresift/worker/feed"
)

// Item identity policies (the first layer of Decide), weakest key first. The policy in force is kept per
// feed (store.Feed.IdentityPolicy) and only ever moves to a stronger key.
const (
	IdentityGUID          = "guid"
	IdentityLink          = "link"
	IdentityLinkDateTitle = "link_date_title"
)

// ldtPrefix starts every link, date and title key.
const ldtPrefix = "ldt:"

// maxBrokenShare is the share of a document's keys that may be blank or
// repeated before the key is judged broken. Like FreshRSS, a few percent: a
// repeated GUID in a 10-item feed (10%) is already broken, while one stray
// duplicate in a 100-item archive page (1%) is tolerated.
const maxBrokenShare = 0.05

// ChooseIdentity returns the identity policy for a feed whose latest document
// has items, given the policy currently in force ("" for a new feed).
//
// If more than 5% of the items have a blank or repeated GUID, GUIDs cannot
// tell items apart and the link is used; if links are blank or repeated too,
// link + date + title (also when the link policy is already in force and its
// links break). The result is never weaker than current: a feed that once
// broke its GUIDs is not trusted again automatically.
//
// One document cannot show GUIDs that change on every fetch (each document
// looks fine alone); ChooseIdentityAcross compares two fetches for that.
func ChooseIdentity(current string, items []feed.Item) string {
	policy := stronger(current, IdentityGUID)
	if policy == IdentityGUID && broken(items, func(it feed.Item) string { return it.GUID }) {
		policy = IdentityLink
	}
	if policy == IdentityLink && broken(items, func(it feed.Item) string { return normalLink(it.Link) }) {
		policy = IdentityLinkDateTitle
	}
	return policy
}

// ChooseIdentityAcross is ChooseIdentity with the previous fetch's items as well:
// an item that is still there (same link, or same title and date) but under
// another GUID means the feed re-keys its items on every fetch, and its GUIDs
// are abandoned for links. It cannot catch links that change on every fetch
// as well (no key in the document is stable then); URL and text dedup layers
// still catch those copies.
func ChooseIdentityAcross(current string, previous, items []feed.Item) string {
	policy := ChooseIdentity(current, items)
	if policy == IdentityGUID && guidsChanged(previous, items) {
		policy = stronger(policy, IdentityLink)
	}
	return policy
}

// ItemKey is the item's identity within its feed under policy. GUID and link
// keys are the values themselves (so a feed whose GUIDs are its links keeps
// its keys when it moves to the link policy); the composite key is hashed to
// a fixed length.
func ItemKey(policy string, it feed.Item) string {
	switch policy {
	case IdentityLink:
		return normalLink(it.Link)
	case IdentityLinkDateTitle:
		date := ""
		if it.Published != nil {
			date = it.Published.UTC().Format(time.RFC3339)
		}
		sum := sha256.Sum256([]byte(normalLink(it.Link) + "\x00" + date + "\x00" + it.Title))
		return ldtPrefix + hex.EncodeToString(sum[:16])
	default:
		return it.GUID
	}
}

// broken reports whether more than maxBrokenShare of the keys are blank or
// repeat an earlier item's key.
func broken(items []feed.Item, key func(feed.Item) string) bool {
	if len(items) == 0 {
		return false
	}
	seen := make(map[string]bool, len(items))
	bad := 0
	for _, it := range items {
		k := key(it)
		if k == "" || seen[k] {
			bad++
		}
		seen[k] = true
	}
	return float64(bad) > maxBrokenShare*float64(len(items))
}

func guidsChanged(previous, items []feed.Item) bool {
	byLink := map[string]string{}
	byTitleDate := map[string]string{}
	for _, it := range previous {
		if l := normalLink(it.Link); l != "" {
			byLink[l] = it.GUID
		}
		if td := titleDate(it); td != "" {
			byTitleDate[td] = it.GUID
		}
	}
	for _, it := range items {
		old, ok := byLink[normalLink(it.Link)]
		if !ok {
			old, ok = byTitleDate[titleDate(it)]
		}
		if ok && old != it.GUID {
			return true
		}
	}
	return false
}

func titleDate(it feed.Item) string {
	if it.Title == "" || it.Published == nil {
		return ""
	}
	return it.Published.UTC().Format(time.RFC3339) + " " + it.Title
}

// normalLink lower-cases scheme and host, the parts of a URL that are
// case-insensitive. The fragment is kept: live blogs and digests give
// distinct items as #anchors of one page.
func normalLink(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(link)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	return u.String()
}

var strength = map[string]int{IdentityGUID: 0, IdentityLink: 1, IdentityLinkDateTitle: 2}

// stronger returns the stronger of two policies; unknown names count as guid.
func stronger(a, b string) string {
	if strength[a] > strength[b] {
		return a
	}
	return b
}

// ItemSighting is what a feed recorded of an item it had: the key it was
// stored under, its link and its title.
type ItemSighting struct {
	Key, Link, Title string
}

// Had reports whether a feed whose identity policy is identity already had
// item it, given the feed's recorded sightings of its link. A feed moves to a
// stronger policy when its keys break, and the items it had were recorded
// under the weaker key; without this they would be fetched and stored again
// under the new one. Under link identity an item is its link, so any
// sighting of the link is the item. Under link, date and title, a sighting
// recorded under a weaker key (no date kept) is the item when link and title
// agree; one recorded under this policy was found by its key already, and
// another key means another item.
func Had(identity string, it feed.Item, recorded []ItemSighting) bool {
	link := normalLink(it.Link)
	if link == "" {
		return false
	}
	for _, r := range recorded {
		if normalLink(r.Link) != link {
			continue
		}
		switch identity {
		case IdentityLink:
			return true
		case IdentityLinkDateTitle:
			if !strings.HasPrefix(r.Key, ldtPrefix) && r.Title == it.Title {
				return true
			}
		}
	}
	return false
}
