// Package sqlite is the embedded default store: one SQLite file in WAL mode
// through modernc.org/sqlite (pure Go, no cgo).
//
// Writes go through a pool of one connection whose transactions begin
// IMMEDIATE, so this process's writers queue in Go (honouring their contexts)
// and another process's writer is waited for by SQLite's busy timeout. One
// goroutine runs them and commits the writes that queued up together (see
// groupWriter). Reads use a separate query-only pool and see a consistent
// snapshot while a write is in progress; the two reads a poll makes just
// before its claims (listedFeeds, Census) use the write connection, outside
// any transaction, to share its page cache.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/wiresift/wiresift/worker/store"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DefaultBusyTimeout is how long a write waits for another process's write
// lock before it fails with ErrBusy.
const DefaultBusyTimeout = 10 * time.Second

// walCheckpointPages is how many pages the WAL may hold before a commit
// copies them into the database file. Polls rewrite the same pages of the
// feeds table pass after pass, and a longer log folds more rewrites of a
// page into one copy: a 304 pass's database work fell from 29 to 25 CPU-µs
// per feed against SQLite's default of 1,000 (BenchmarkPollCycle). The log
// then takes up to 64 MiB beside the database.
const walCheckpointPages = 16384

// Options tune Open; the zero value gives the defaults.
type Options struct {
	BusyTimeout time.Duration // 0: DefaultBusyTimeout
	ReadConns   int           // size of the read pool; 0: max(4, GOMAXPROCS)
}

// Store is a store.Store on one SQLite file.
type Store struct {
	path     string
	readOnly bool
	busy     time.Duration
	write    *sql.DB // one connection, IMMEDIATE transactions
	writer   *groupWriter
	// The statements every poll runs are prepared once on the write
	// connection: SQLite takes about as long to parse them as to run them.
	stmts  statements
	ingest *ingestStmts
	// itemDates is where the schema keeps feeds' item dates.
	itemDates itemDatesSQL
	read      *sql.DB // query-only connections
	ckpt      *checkpointer
	// events: ingests write webhook events to the outbox (RecordEvents).
	events atomic.Bool
	// alone holds a sole claimer's leases (ClaimAlone); nil: in feed_leases.
	alone atomic.Pointer[memLeases]
}

// Open opens (creating if needed) the database at path and migrates it with
// schema, the text of schema.sql. A database written by a newer schema is
// refused untouched (store.ErrNewerSchema). A file without write permission
// opens read-only: reads work and writes fail with store.ErrReadOnlyMode.
func Open(ctx context.Context, path string, schema string) (*Store, error) {
	return OpenWith(ctx, path, schema, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, schema string, o Options) (*Store, error) {
	migs, err := parseSchema(schema)
	if err != nil {
		return nil, err
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = DefaultBusyTimeout
	}
	if o.ReadConns <= 0 {
		o.ReadConns = max(4, runtime.GOMAXPROCS(0))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	s := &Store{path: abs, readOnly: isReadOnlyFile(abs), busy: o.BusyTimeout}
	if s.write, err = s.pool(true, 1); err != nil {
		return nil, err
	}
	if err := s.prepare(ctx, migs); err != nil {
		s.Close()
		return nil, err
	}
	s.itemDates = itemDatesFor(migs[len(migs)-1].version)
	for _, p := range s.stmts.all(s.itemDates) {
		if *p.stmt, err = s.write.PrepareContext(ctx, p.sql); err != nil {
			s.Close()
			return nil, s.wrap("prepare", err)
		}
	}
	if s.ingest, err = prepareIngest(ctx, s.write); err != nil {
		s.Close()
		return nil, s.wrap("prepare", err)
	}
	byTrigger, err := indexesOnInsert(ctx, s.write)
	if err != nil {
		s.Close()
		return nil, s.wrap("read schema", err)
	}
	indexFTS := s.ingest.indexFTS
	if byTrigger { // a schema.sql before version 8 (tests open those)
		indexFTS = nil
	}
	s.writer = newGroupWriter(s.write, indexFTS, s.path+"-wal")
	// Readers open once the file is in WAL mode and migrated.
	if s.read, err = s.pool(false, o.ReadConns); err != nil {
		s.Close()
		return nil, err
	}
	if !s.readOnly {
		db, err := s.pool(true, 1)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.ckpt = newCheckpointer(db, s.writer.checkpointed)
	}
	return s, nil
}

// pool opens a connection pool on the file with the pragmas every
// connection needs.
func (s *Store) pool(writer bool, conns int) (*sql.DB, error) {
	q := url.Values{}
	// busy_timeout: wait for another process's lock instead of failing at once.
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", s.busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	// NORMAL is durable across process crashes in WAL mode; only a power
	// loss can lose the last commits, never corrupt the file.
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		// Take the write lock at BEGIN, so a transaction never fails half-way
		// on a lock upgrade that the busy timeout cannot wait for.
		q.Set("_txlock", "immediate")
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walCheckpointPages))
		// Keep statement and savepoint journals in memory: an ingest's
		// dedup keys touch more pages than the 64 KiB after which SQLite
		// spills them to a temp file it creates and deletes per transaction.
		// They only undo a statement, so nothing durable is lost (the
		// writer makes no TEMP tables, the pragma's other effect).
		q.Add("_pragma", "temp_store(MEMORY)")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	if s.readOnly {
		q.Set("mode", "ro")
	}
	dsn := "file:" + (&url.URL{Path: s.path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, s.wrap("open", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// isReadOnlyFile reports whether an existing database file may not be
// written. The permission bits decide even for root, who could write
// anyway: a user who made the archive read-only means it.
func isReadOnlyFile(path string) bool {
	info, err := os.Stat(path)
	if err != nil {
		return false
	}
	if info.Mode().Perm()&0o222 == 0 {
		return true
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return os.IsPermission(err) || isReadOnlyFS(err)
	}
	f.Close()
	return false
}

// Close closes both pools; a clean close checkpoints the WAL into the file.
func (s *Store) Close() error {
	if s.writer != nil {
		s.writer.close()
	}
	s.ckpt.close()
	s.ingest.close()
	for _, p := range s.stmts.all(s.itemDates) {
		if *p.stmt != nil {
			(*p.stmt).Close()
		}
	}
	var first error
	for _, db := range []*sql.DB{s.read, s.write} {
		if db == nil {
			continue
		}
		if err := db.Close(); err != nil && first == nil {
			first = s.wrap("close", err)
		}
	}
	return first
}

var _ store.Store = (*Store)(nil)
