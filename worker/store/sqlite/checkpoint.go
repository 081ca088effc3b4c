package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// Ingests write whole pages (text, kept page, index pages) into the WAL,
// which walCheckpointPages lets grow to 64 MiB before a commit copies it
// into the database file. A backfill would then pay for the copy at Close,
// after the work, where nothing else runs: 120 ms at the end of a
// 711-article backfill. Every ckptEvery ingests the checkpointer copies
// what it can (PASSIVE: it never waits for, nor blocks, the writer or the
// readers) on a connection of its own, so that the copying overlaps the
// fetches and extraction of the pages still coming; the writer then copies
// the few frames committed meanwhile (groupWriter.topUpWAL), so that the
// next commit starts the WAL over. Polls that only save feed states do not
// wake it: their rewrites of the same pages are folded by the long WAL.
const ckptEvery = 64

// checkpointer copies the WAL into the database file in the background.
type checkpointer struct {
	db *sql.DB
	// copied is called after each checkpoint.
	copied  func()
	ingests atomic.Int64
	kick    chan struct{}
	quit    chan struct{}
	done    chan struct{}
	once    sync.Once
}

func newCheckpointer(db *sql.DB, copied func()) *checkpointer {
	c := &checkpointer{db: db, copied: copied, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

// ingested counts one committed ingest, and wakes the checkpointer every
// ckptEvery of them.
func (c *checkpointer) ingested() {
	if c == nil || c.ingests.Add(1)%ckptEvery != 0 {
		return
	}
	select {
	case c.kick <- struct{}{}:
	default: // one is already due
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.kick:
		case <-c.quit:
			return
		}
		// A failed checkpoint loses nothing: the frames stay in the WAL
		// for the next one, or for Close.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		c.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		cancel()
		c.copied()
	}
}

// close stops the checkpointer; a nil c is fine.
func (c *checkpointer) close() {
	if c == nil {
		return
	}
	c.once.Do(func() { close(c.quit) })
	<-c.done
	c.db.Close()
}
