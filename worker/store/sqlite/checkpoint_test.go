package sqlite

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestIngestsAreCheckpointedWhileTheStoreIsOpen checks the background
// checkpoint: the database file proper is written only by checkpoints, so
// it grows past its size after migration once ckptEvery ingests have
// committed, with the store still open (without the checkpointer it grew
// only at Close).
func TestIngestsAreCheckpointedWhileTheStoreIsOpen(t *testing.T) {
	s := openTemp(t, Options{})
	feed := seedArchive(t, s, 0)
	info, err := os.Stat(s.path)
	if err != nil {
		t.Fatal(err)
	}
	before := info.Size()
	ctx := context.Background()
	for i := range ckptEvery {
		if _, err := s.Ingest(ctx, benchSighting(feed, i)); err != nil {
			t.Fatalf("Ingest %d: %v", i, err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := os.Stat(s.path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Size() > before {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes 10 s after %d ingests; want the WAL checkpointed into it", info.Size(), ckptEvery)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
