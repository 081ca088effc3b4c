package sqlite

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
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

// TestTheWALStartsOverDuringAnIngestStream checks that a long stream of
// ingests reuses the start of the WAL instead of appending to it for as long
// as the store is open. The WAL starts over only at a write that finds every
// frame copied, which a background checkpoint racing the writer never
// leaves: without the writer's top-up the file grew until a commit paid for
// a whole checkpoint (walCheckpointPages) while every ingest waited. The
// file keeps its largest size: a WAL that starts over stays at a few
// checkpoints' worth of frames while the database grows with the stream
// (about 5 MB against 10 here), and one that never does holds every frame
// written, five times the database or more.
func TestTheWALStartsOverDuringAnIngestStream(t *testing.T) {
	s := openTemp(t, Options{})
	feed := seedArchive(t, s, 0)
	ctx := context.Background()
	const ingesters, articles = 8, 16 * ckptEvery
	next := make(chan int)
	var g errgroup.Group
	for range ingesters {
		g.Go(func() error {
			for i := range next {
				sg := benchSighting(feed, i)
				sg.MoreComing = true
				if _, err := s.Ingest(ctx, sg); err != nil {
					return fmt.Errorf("Ingest %d: %w", i, err)
				}
			}
			return nil
		})
	}
	for i := range articles {
		next <- i
	}
	close(next)
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	wal, err := os.Stat(s.path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.Stat(s.path)
	if err != nil {
		t.Fatal(err)
	}
	if wal.Size() > db.Size() {
		t.Errorf("after %d ingests the WAL is %d bytes, the database %d: want a WAL that started over, smaller than the database", articles, wal.Size(), db.Size())
	}
}
