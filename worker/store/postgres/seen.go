package postgres

import (
	"context"
	"fmt"
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
