package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"time"
)

// Item identity policies, weakest key first. The policy in force is kept per
// feed (store.Feed.IdentityPolicy) and only ever moves to a stronger key.
const (
	PolicyGUID          = "guid"
	PolicyLink          = "link"
	PolicyLinkDateTitle = "link_date_title"
)

// maxBrokenShare is the share of a document's keys that may be blank or
// repeated before the key is judged broken. Like FreshRSS, a few percent: a
// repeated GUID in a 10-item feed (10%) is already broken, while one stray
// duplicate in a 100-item archive page (1%) is tolerated.
const maxBrokenShare = 0.05

// ChoosePolicy returns the identity policy for a feed whose latest document
// has items, given the policy currently in force ("" for a new feed).
//
// If more than 5% of the items have a blank or repeated GUID, GUIDs cannot
// tell items apart and the link is used; if links are blank or repeated too,
// link + date + title (also when the link policy is already in force and its
// links break). The result is never weaker than current: a feed that once
// broke its GUIDs is not trusted again automatically.
//
// One document cannot show GUIDs that change on every fetch (each document
// looks fine alone); ChoosePolicyAcross compares two fetches for that.
func ChoosePolicy(current string, items []Item) string {
	policy := stronger(current, PolicyGUID)
	if policy == PolicyGUID && broken(items, func(it Item) string { return it.GUID }) {
		policy = PolicyLink
	}
	if policy == PolicyLink && broken(items, func(it Item) string { return normalLink(it.Link) }) {
		policy = PolicyLinkDateTitle
	}
	return policy
}

// ChoosePolicyAcross is ChoosePolicy with the previous fetch's items as well:
// an item that is still there (same link, or same title and date) but under
// another GUID means the feed re-keys its items on every fetch, and its GUIDs
// are abandoned for links. It cannot catch links that change on every fetch
// as well (no key in the document is stable then); URL and text dedup layers
// still catch those copies.
func ChoosePolicyAcross(current string, previous, items []Item) string {
	policy := ChoosePolicy(current, items)
	if policy == PolicyGUID && guidsChanged(previous, items) {
		policy = stronger(policy, PolicyLink)
	}
	return policy
}

// ItemKey is the item's identity within its feed under policy. GUID and link
// keys are the values themselves (so a feed whose GUIDs are its links keeps
// its keys when it moves to the link policy); the composite key is hashed to
// a fixed length.
func ItemKey(policy string, it Item) string {
	switch policy {
	case PolicyLink:
		return normalLink(it.Link)
	case PolicyLinkDateTitle:
		date := ""
		if it.Published != nil {
			date = it.Published.UTC().Format(time.RFC3339)
		}
		sum := sha256.Sum256([]byte(normalLink(it.Link) + "\x00" + date + "\x00" + it.Title))
		return "ldt:" + hex.EncodeToString(sum[:16])
	default:
		return it.GUID
	}
}

// broken reports whether more than maxBrokenShare of the keys are blank or
// repeat an earlier item's key.
func broken(items []Item, key func(Item) string) bool {
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

func guidsChanged(previous, items []Item) bool {
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

func titleDate(it Item) string {
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

var strength = map[string]int{PolicyGUID: 0, PolicyLink: 1, PolicyLinkDateTitle: 2}

// stronger returns the stronger of two policies; unknown names count as guid.
func stronger(a, b string) string {
	if strength[a] > strength[b] {
		return a
	}
	return b
}
