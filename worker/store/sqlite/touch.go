package sqlite

import (
	"context"
	"strings"

	"github.com/wiresift/wiresift/worker/store"
)

// A poll answered 304 saves the state its feed was claimed with, but for
// the poll's times and status. A sole claimer (ClaimAlone) knows that state
// (memLease.claimed), so it writes those polls of a batch with statements
// that carry a few of them each and set three columns: binding the dozen
// values of a whole state, six of them strings copied into SQLite, cost more
// than the update itself (BenchmarkPollCycle/undated-alone: 18.4–18.8
// CPU-µs per feed this way, 20.7–23.1 one state at a time).

// touchRows are the numbers of rows the touch statements carry: a batch is
// written by as many of the largest as fit, then of the next.
var touchRows = [...]int{64, 16, 4, 1}

// touchSQL writes the times and status of n polls: ?1 to ?4 are the first
// one's feed id, polled at, next poll at (NULL keeps it) and status, and so
// on.
func touchSQL(n int) string {
	var b strings.Builder
	b.WriteString(`UPDATE feeds SET last_poll_at = v.column2,
    next_poll_at = coalesce(v.column3, next_poll_at), last_status = v.column4
FROM (VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?)")
	}
	b.WriteString(`) AS v WHERE feeds.id = v.column1`)
	return b.String()
}

// touchable marks the results of rs that the touch statements may write:
// each keeps the state its lease's claim read, and no feed is in rs twice
// (an UPDATE … FROM that meets a row twice applies one of the two). It
// marks none when m is nil.
func (m *memLeases) touchable(rs []store.PollResult) []bool {
	marks := make([]bool, len(rs))
	if m == nil || len(rs) == 0 {
		return marks
	}
	seen := make(map[int64]bool, len(rs))
	for i := range rs {
		r := &rs[i]
		if seen[r.FeedID] {
			return make([]bool, len(rs))
		}
		seen[r.FeedID] = true
		if r.State != "" || r.ItemDates != nil || r.URL != "" || r.Lease.IsZero() {
			continue
		}
		claimed, held := m.holds(r.FeedID, r.Lease.UnixMicro())
		marks[i] = held && claimed == keptStateOfResult(r)
	}
	return marks
}

// touch writes the results rs[i] for i in touches inside ts's transaction,
// setting errs[i] for those whose feed is gone (store.ErrNotFound).
func (s *Store) touch(ctx context.Context, ts *txStmts, rs []store.PollResult, touches []int, errs []error) error {
	var written int64
	args := make([]any, 0, 4*touchRows[0])
	for rest := touches; len(rest) > 0; {
		k := 0
		for touchRows[k] > len(rest) {
			k++
		}
		args = args[:0]
		for _, i := range rest[:touchRows[k]] {
			r := &rs[i]
			args = append(args, r.FeedID, micros(r.PolledAt), micros(r.NextPollAt), r.Status)
		}
		res, err := ts.bind(ctx, &ts.touch[k], s.stmts.touch[k]).ExecContext(ctx, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		written += n
		rest = rest[touchRows[k]:]
	}
	if written == int64(len(touches)) {
		return nil
	}
	for _, i := range touches { // some feed was deleted under its lease
		exists, err := feedExists(ctx, ts.tx, rs[i].FeedID)
		if err != nil {
			return err
		}
		if !exists {
			errs[i] = store.ErrNotFound
		}
	}
	return nil
}
