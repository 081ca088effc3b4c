package sqlite

import (
	"context"
	"testing"
)

// The write connection keeps statement journals in memory (temp_store=2),
// so that an ingest never creates a temp file; readers keep the default.
func TestTempStorePerPool(t *testing.T) {
	s := openTemp(t, Options{})
	ctx := context.Background()
	for _, tc := range []struct {
		pool string
		want int
	}{{"write", 2}, {"read", 0}} {
		db := s.write
		if tc.pool == "read" {
			db = s.read
		}
		var got int
		if err := db.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&got); err != nil {
			t.Fatalf("%s pool: %v", tc.pool, err)
		}
		if got != tc.want {
			t.Errorf("%s pool: temp_store = %d, want %d", tc.pool, got, tc.want)
		}
	}
}
