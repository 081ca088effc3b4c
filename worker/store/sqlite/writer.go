package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// maxGroup bounds how many queued writes share one transaction, so that one
// commit never holds the lock for long.
const maxGroup = 64

// writeReq is one caller's write, waiting for the writer goroutine.
type writeReq struct {
	ctx context.Context
	// fn gets a context that is never cancelled: besides keeping a shared
	// transaction whole, that spares the driver a watcher goroutine for
	// every statement.
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error // buffered: the writer never waits for a caller
	// gather: a batch this write starts waits up to gatherWait for
	// more writes to join it (see gatherWait).
	gather bool
}

// A batch that an ingest with more articles coming starts
// (Sighting.MoreComing) waits for more writes, up to gatherWait or until
// it holds gatherTarget, before it commits: in a backfill the writer, at
// under a millisecond per article, would otherwise find each article alone
// and commit it alone, while eight committed together cost about a third
// less CPU each (pages shared by their commit's WAL frames, one search
// segment; BenchmarkIngestCPU). The pipeline's articles wait for the store
// without holding a page slot, so the wait idles no parse. An ingest with
// nothing coming does not wait: going idle for the wait costs the
// scheduler about 0.2 ms of CPU, for nothing.
const (
	gatherWait   = 3 * time.Millisecond
	gatherTarget = 8
)

// groupWriter runs every write of this process on the one write connection
// and commits the writes that queued up meanwhile together (group commit):
// each runs inside its own SAVEPOINT, so one that fails is undone alone,
// and all of them become durable at one COMMIT. A commit is most of a small
// write's cost (WAL frames, lock, header), so under concurrent writers this
// divides it by the batch; a lone writer pays what it paid before.
type groupWriter struct {
	db  *sql.DB
	fts ftsDue // the open transaction's new articles, indexed before COMMIT
	wal walWriteback
	// gatherWait is how long a batch that an ingest starts waits for
	// more writes (the constant; tests change it).
	gatherWait time.Duration
	reqs       chan *writeReq
	// topUp is set once a background checkpoint has copied the WAL: the
	// writer then copies the frames committed meanwhile (see topUpWAL).
	topUp atomic.Bool
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once // Close may be called twice
}

// newGroupWriter starts the writer; indexFTS is indexFTSSQL prepared on db,
// or nil when the schema's trigger indexes new articles itself; walPath is
// the WAL file's name (walWriteback).
func newGroupWriter(db *sql.DB, indexFTS *sql.Stmt, walPath string) *groupWriter {
	w := &groupWriter{db: db, fts: ftsDue{stmt: indexFTS}, wal: walWriteback{path: walPath}, gatherWait: gatherWait, reqs: make(chan *writeReq), quit: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

// errWriterClosed answers writes that arrive after Close.
var errWriterClosed = errors.New("store closed")

// do queues fn and waits for its transaction's outcome. A caller whose
// context ends while queued leaves without writing; once its fn has
// started, it runs to the end of its batch uncancelled, because an
// interrupted statement can roll back the whole shared transaction.
func (w *groupWriter) do(ctx context.Context, gather bool, fn func(ctx context.Context, tx *sql.Tx) error) error {
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1), gather: gather}
	select {
	case w.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.quit:
		return errWriterClosed
	}
	return <-r.done
}

func (w *groupWriter) close() {
	w.once.Do(func() { close(w.quit) })
	<-w.done
}

func (w *groupWriter) run() {
	defer close(w.done)
	defer w.wal.close()
	for {
		var batch []*writeReq
		select {
		case r := <-w.reqs:
			batch = append(batch, r)
		case <-w.quit:
			return
		}
		// Take whatever else is already waiting.
	more:
		for len(batch) < maxGroup {
			select {
			case r := <-w.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		if batch[0].gather && len(batch) < gatherTarget {
			batch = w.gather(batch)
		}
		w.commit(batch)
		w.wal.committed(time.Now())
		if w.topUp.Swap(false) {
			w.topUpWAL()
		}
	}
}

// checkpointed tells the writer that a background checkpoint has copied the
// WAL: it tops the copy up after its next commit.
func (w *groupWriter) checkpointed() { w.topUp.Store(true) }

// topUpWAL checkpoints on the write connection, between two transactions,
// the frames committed while the background checkpoint ran. SQLite starts
// the WAL over from its beginning only at a write that finds every frame
// copied, which a checkpoint racing the writer never leaves: without this
// the WAL grows to walCheckpointPages, and the commit that reaches it pays
// for a whole checkpoint while every ingest waits. The background
// checkpoint has already copied nearly everything, so this one is short.
func (w *groupWriter) topUpWAL() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// A failure loses nothing: the frames stay in the WAL for the next
	// checkpoint, or for Close.
	w.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
}

// gather adds the writes that arrive within gatherWait to batch, until it
// holds gatherTarget.
func (w *groupWriter) gather(batch []*writeReq) []*writeReq {
	t := time.NewTimer(w.gatherWait)
	defer t.Stop()
	for len(batch) < gatherTarget {
		select {
		case r := <-w.reqs:
			batch = append(batch, r)
		case <-t.C:
			return batch
		case <-w.quit:
			return batch // committed; the next turn sees quit
		}
	}
	return batch
}

// commit runs a batch in one transaction. When the transaction itself
// breaks (a failed BEGIN, SAVEPOINT, ROLLBACK TO or COMMIT: a full disk, an
// I/O error, a lock held too long), the writes that had not failed on their
// own are retried one transaction each, so every caller gets the answer it
// would have had alone.
func (w *groupWriter) commit(batch []*writeReq) {
	if len(batch) == 1 {
		batch[0].done <- w.alone(batch[0])
		return
	}
	ctx := context.Background()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	var ok []*writeReq
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		mark := w.fts.mark()
		fnErr, txErr := inSavepoint(tx, r)
		if txErr != nil {
			tx.Rollback()
			w.fts.reset()
			w.retryAlone(append(ok, batch[i:]...))
			return
		}
		if fnErr != nil {
			w.fts.undo(mark)
			r.done <- fnErr
			continue
		}
		ok = append(ok, r)
	}
	// After the last savepoint: the batch's new articles make one segment.
	if err := w.fts.flush(ctx, tx); err != nil {
		tx.Rollback()
		w.fts.reset()
		w.retryAlone(ok)
		return
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		w.retryAlone(ok)
		return
	}
	for _, r := range ok {
		r.done <- nil
	}
}

// inSavepoint runs one write inside the shared transaction. fnErr is the
// write's own failure, undone by ROLLBACK TO; txErr means the transaction
// can no longer be trusted.
func inSavepoint(tx *sql.Tx, r *writeReq) (fnErr, txErr error) {
	ctx := context.WithoutCancel(r.ctx)
	if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
		return nil, err
	}
	fnErr = r.fn(ctx, tx)
	if fnErr != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
			return fnErr, err
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE w"); err != nil {
		return fnErr, err
	}
	return fnErr, nil
}

func (w *groupWriter) retryAlone(rs []*writeReq) {
	for _, r := range rs {
		r.done <- w.alone(r)
	}
}

// alone runs one write in its own transaction, the way every write ran
// before group commit.
func (w *groupWriter) alone(r *writeReq) error {
	tx, err := w.db.BeginTx(r.ctx, nil)
	if err != nil {
		return err
	}
	ctx := context.WithoutCancel(r.ctx)
	err = r.fn(ctx, tx)
	if err == nil {
		err = w.fts.flush(ctx, tx)
	}
	if err != nil {
		tx.Rollback()
		w.fts.reset()
		return err
	}
	return tx.Commit()
}
