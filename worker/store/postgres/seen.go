package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/wiresift/wiresift/worker/dedup/policy"
)

// SeenItems returns which of keys the feed already ingested.
func (s *Store) SeenItems(ctx context.Context, feedID int64, keys []string) (map[string]bool, error) {
	seen := make(map[string]bool)
	if len(keys) == 0 {
		return seen, nil
	}
	rows, err := s.pool.Query(ctx,
		`SELECT item_key FROM sources WHERE feed_id = $1 AND item_key = ANY($2)`, feedID, keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: seen items of feed %d: %w", feedID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("postgres: seen items of feed %d: %w", feedID, err)
		}
		seen[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: seen items of feed %d: %w", feedID, err)
	}
	return seen, nil
}

// SightingsOf returns the feed's recorded sightings of the item links.
func (s *Store) SightingsOf(ctx context.Context, feedID int64, links []string) ([]policy.ItemSighting, error) {
	if len(links) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx,
		`SELECT item_key, url, title FROM sources WHERE feed_id = $1 AND url = ANY($2) ORDER BY id`, feedID, links)
	if err != nil {
		return nil, fmt.Errorf("postgres: sightings of feed %d: %w", feedID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (policy.ItemSighting, error) {
		var it policy.ItemSighting
		err := r.Scan(&it.Key, &it.Link, &it.Title)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: sightings of feed %d: %w", feedID, err)
	}
	return out, nil
}
