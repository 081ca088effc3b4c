package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// A sole claimer (ClaimAlone) keeps its leases in memory: no other process
// claims, so a lease need not reach the file, and a claim, a save and its
// release each skip a write and a lookup per feed (BenchmarkPollCycle: 26
// CPU-µs per feed with the leases in feed_leases, 21–23 without).
//
// Claims resume after the last feed the previous claim took (its due time
// and id): every due feed before that point was claimed and is leased or
// saved with a later due time, so the claim reads only feeds it can take
// instead of stepping over the leased ones at the head of the due order.
// When that finds too few, the claim looks from the start again, leaving
// out the leased feeds by id, to find any feed that became due behind the
// point (a released lease, a feed made due).

const (
	// claimAfterWhere is claimWhere after the feed (?3, ?4) in the due order.
	claimAfterWhere = `
WHERE state IN ` + polledStates + ` AND next_poll_at <= ?1
  AND next_poll_at >= ?3 AND (next_poll_at > ?3 OR id > ?4)
ORDER BY next_poll_at, id LIMIT ?2`
	// claimExceptWhere is claimWhere with the leases given as a JSON array
	// of feed ids (?3).
	claimExceptWhere = `
WHERE state IN ` + polledStates + ` AND next_poll_at <= ?1
  AND id NOT IN (SELECT value FROM json_each(?3))
ORDER BY next_poll_at, id LIMIT ?2`
)

// memLease is one feed's lease: when it ends, and what the claim read of
// the state a save may leave as it is (touchable).
type memLease struct {
	until   int64 // Unix µs
	claimed keptState
}

// keptState is the part of a feed's state that a poll answered 304 keeps:
// all of it but the poll's times and status.
type keptState struct {
	etag, lastModified, bodyHash, lastError, identityPolicy, redirectTo string
	consecutiveErrors                                                   int
}

func keptStateOf(f *store.Feed) keptState {
	return keptState{f.ETag, f.LastModified, f.BodyHash, f.LastError, f.IdentityPolicy, f.RedirectTo, f.ConsecutiveErrors}
}

func keptStateOfResult(r *store.PollResult) keptState {
	return keptState{r.ETag, r.LastModified, r.BodyHash, r.Error, r.IdentityPolicy, r.RedirectTo, r.ConsecutiveErrors}
}

// claimKey is a feed's place in the due order.
type claimKey struct{ due, id int64 }

// memLeases are a sole claimer's leases.
type memLeases struct {
	mu     sync.Mutex
	leases map[int64]memLease // by feed id
	// after is where the next claim resumes, nil to look from the start;
	// it holds for claims at now or later.
	after *claimKey
	now   int64
}

// ClaimAlone implements store.SoleClaimer.
func (s *Store) ClaimAlone(ctx context.Context) (int, error) {
	var n int64
	err := s.inTx(ctx, "clear leases", func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM feed_leases`)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, err
	}
	s.alone.Store(&memLeases{leases: make(map[int64]memLease)})
	return int(n), nil
}

// leased returns the ids of the feeds whose lease runs past now.
func (m *memLeases) leased(now int64) []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]int64, 0, len(m.leases))
	for id, l := range m.leases {
		if l.until > now {
			ids = append(ids, id)
		}
	}
	return ids
}

// resumeAt is where a claim at now may start, nil for the start.
func (m *memLeases) resumeAt(now int64) *claimKey {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.after == nil || now < m.now {
		return nil
	}
	k := *m.after
	return &k
}

// isLeased reports whether a claim at now must leave feed id alone.
func (m *memLeases) isLeased(id, now int64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.leases[id].until > now
}

// claimed records a claim at now, inside its transaction so that the next
// claim sees it: the leases of feeds, and where the next claim resumes
// (after, nil for the start). It returns the ids leased, for unclaim.
func (m *memLeases) claimed(feeds []store.Feed, until, now int64, after *claimKey) []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]int64, len(feeds))
	for i := range feeds {
		f := &feeds[i]
		m.leases[f.ID] = memLease{until: until, claimed: keptStateOf(f)}
		ids[i] = f.ID
	}
	m.after, m.now = after, now
	return ids
}

// unclaim undoes claimed for a claim whose transaction did not commit.
func (m *memLeases) unclaim(ids []int64, until int64) {
	if ids == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if m.leases[id].until == until {
			delete(m.leases, id)
		}
	}
	m.after = nil
}

// holds reports whether the feed still carries the lease lease (Unix µs),
// and if so what its claim read of the state a 304 keeps.
func (m *memLeases) holds(id, lease int64) (keptState, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[id]
	return l.claimed, ok && l.until == lease
}

// saving is told, inside its transaction, of a state about to be saved:
// one whose due time may lie before the resume point (kept, as a released
// lease keeps it) sends the next claim back to the start.
func (m *memLeases) saving(r *store.PollResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.after != nil && (r.NextPollAt.IsZero() || r.NextPollAt.UnixMicro() <= m.after.due) {
		m.after = nil
	}
}

// saved ends the leases of the feeds whose state a committed save wrote
// (errs[i] nil): until then a failed commit may save them again.
func (m *memLeases) saved(rs []store.PollResult, errs []error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range rs {
		if errs[i] == nil {
			delete(m.leases, r.FeedID)
		}
	}
}

// leasedUntil is the end of feed id's lease, zero if none.
func (m *memLeases) leasedUntil(id int64) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[id]
	return fromMicros(sql.NullInt64{Int64: l.until, Valid: ok})
}

// drop ends the leases of ids, whose polls will then fail to save
// (store.ErrLeaseLost), as when feed_leases rows are deleted, and sends the
// next claim back to the start: a feed may have become due before the
// point where it resumes. It does nothing on a nil m.
func (m *memLeases) drop(ids ...int64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		delete(m.leases, id)
	}
	m.after = nil
}

// disabled returns the leased feeds that are disabled, inside tx.
func (m *memLeases) disabled(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	list, _ := json.Marshal(m.leased(0)) // an []int64 always marshals
	rows, err := tx.QueryContext(ctx, `SELECT id FROM feeds WHERE state = 'disabled' AND id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// claimAlone is ClaimDueFeeds for a sole claimer. Its transaction writes
// nothing, but the polls it starts must save their states: on a full disk
// it takes nothing, rather than fetch feeds whose states would be lost.
func (s *Store) claimAlone(ctx context.Context, m *memLeases, now time.Time, limit int, lease time.Duration) ([]store.Feed, error) {
	if err := s.CheckSpace(); err != nil {
		return nil, fmt.Errorf("%w (claim due feeds)", err)
	}
	at, until := now.UnixMicro(), now.Add(lease).UnixMicro()
	var feeds []store.Feed
	var took []int64 // the leases recorded, undone if the claim fails
	err := s.inTx(ctx, "claim due feeds", func(ctx context.Context, tx *sql.Tx) error {
		m.unclaim(took, until) // a retry of a claim that did not commit
		took, feeds = nil, feeds[:0]
		from := m.resumeAt(at)
		if from != nil {
			rows, err := tx.StmtContext(ctx, s.stmts.claimAfter).QueryContext(ctx, at, limit, from.due, from.id)
			if err != nil {
				return err
			}
			if feeds, err = scanClaimed(rows, feeds, func(id int64) bool { return !m.isLeased(id, at) }); err != nil {
				return err
			}
			if len(feeds) == limit {
				last := feeds[len(feeds)-1]
				took = m.claimed(feeds, until, at, &claimKey{last.NextPollAt.UnixMicro(), last.ID})
				return nil
			}
		}
		// From the start, leaving out the leased feeds and those just taken.
		skip := m.leased(at)
		for _, f := range feeds {
			skip = append(skip, f.ID)
		}
		list, _ := json.Marshal(skip) // an []int64 always marshals
		rows, err := tx.StmtContext(ctx, s.stmts.claimExcept).QueryContext(ctx, at, limit-len(feeds), string(list))
		if err != nil {
			return err
		}
		resumed := len(feeds)
		if feeds, err = scanClaimed(rows, feeds, nil); err != nil {
			return err
		}
		if resumed > 0 && len(feeds) > resumed {
			// Those found from the start come first in the due order.
			slices.SortFunc(feeds, func(a, b store.Feed) int {
				return cmp.Or(a.NextPollAt.Compare(b.NextPollAt), cmp.Compare(a.ID, b.ID))
			})
		}
		var after *claimKey
		if from == nil && len(feeds) == limit {
			// Every due feed before the last one taken is leased now.
			last := feeds[len(feeds)-1]
			after = &claimKey{last.NextPollAt.UnixMicro(), last.ID}
		}
		took = m.claimed(feeds, until, at, after)
		return nil
	})
	if err != nil {
		m.unclaim(took, until)
		return nil, err
	}
	leasedUntil := fromMicros(sql.NullInt64{Int64: until, Valid: true})
	for i := range feeds {
		feeds[i].LeasedUntil = leasedUntil
	}
	return feeds, nil
}

// scanClaimed appends to feeds the rows of a claim query that take passes
// (all, if take is nil), and closes rows.
func scanClaimed(rows *sql.Rows, feeds []store.Feed, take func(id int64) bool) ([]store.Feed, error) {
	defer rows.Close()
	scan := newFeedScan()
	for rows.Next() {
		f, err := scan.scan(rows)
		if err != nil {
			return feeds, err
		}
		if take == nil || take(f.ID) {
			feeds = append(feeds, f)
		}
	}
	return feeds, rows.Close()
}
