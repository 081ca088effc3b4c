package pipeline

import (
	"context"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/store"
)

// seenItems says which of a document's items (keyed by keys under identity)
// the feed already had. Beside the keys, an item the feed recorded under a
// weaker identity key before its policy changed counts (policy.Had), so a
// switch from GUIDs to links never fetches or stores an item twice.
func (p *Pipeline) seenItems(ctx context.Context, f store.Feed, identity string, items []feed.Item, keys []string) (map[string]bool, error) {
	seen, err := p.cfg.Store.SeenItems(ctx, f.ID, keys)
	if err != nil || identity == policy.IdentityGUID || identity == "" {
		return seen, err
	}
	var links []string
	for i, it := range items {
		if !seen[keys[i]] && it.Link != "" {
			links = append(links, it.Link)
		}
	}
	if len(links) == 0 {
		return seen, nil
	}
	recorded, err := p.cfg.Store.SightingsOf(ctx, f.ID, links)
	if err != nil {
		return nil, err
	}
	byLink := make(map[string][]policy.ItemSighting, len(recorded))
	for _, r := range recorded {
		byLink[r.Link] = append(byLink[r.Link], r)
	}
	for i, it := range items {
		if !seen[keys[i]] && policy.Had(identity, it, byLink[it.Link]) {
			seen[keys[i]] = true
		}
	}
	return seen, nil
}
