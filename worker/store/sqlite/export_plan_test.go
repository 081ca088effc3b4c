package sqlite

import (
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// TestExportPlansNeedNoSort: a sort would hold the whole archive in a temp
// b-tree before the first row, which is what streaming export must avoid.
func TestExportPlansNeedNoSort(t *testing.T) {
	s := openTemp(t, Options{})
	seedArchive(t, s, 3)
	filters := []struct {
		name string
		f    store.ExportFilter
	}{
		{"All", store.ExportFilter{}},
		{"Since", store.ExportFilter{Since: time.Unix(5, 0)}},
		{"Window", store.ExportFilter{Since: time.Unix(5, 0), Until: time.Unix(9, 0)}},
		{"Feed", store.ExportFilter{FeedURL: "http://127.0.0.1/f.xml"}},
	}
	for _, c := range filters {
		where, args := exportWhere(c.f)
		for _, q := range []string{exportArticlesSQL(where), exportSourcesSQL(where)} {
			plan := queryPlan(t, s, q, args...)
			if strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("%s export plan: want no temp b-tree (sort), got\n%s\nfor %s", c.name, plan, q)
			}
		}
	}
}

func queryPlan(t *testing.T, s *Store, q string, args ...any) string {
	t.Helper()
	rows, err := s.read.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatalf("explain: %v", err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// TestCensusReadsNoFeedRows: the census of a pass counts from indexes (and
// the few leases); a scan of the feeds table reads every feed before every
// poll.
func TestCensusReadsNoFeedRows(t *testing.T) {
	s := openTemp(t, Options{})
	for _, q := range []struct {
		name string
		sql  string
		args []any
	}{
		{"leases in feed_leases", censusSQL, []any{time.Now().UnixMicro()}},
		{"leases in memory", censusAloneSQL, []any{time.Now().UnixMicro(), "[1,2]"}},
	} {
		plan := queryPlan(t, s, q.sql, q.args...)
		for _, line := range strings.Split(plan, "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "SCAN" && (f[1] == "feeds" || f[1] == "f") {
				t.Errorf("census plan (%s) scans the feeds: %q in\n%s", q.name, line, plan)
			}
		}
	}
}

// TestClaimPlansWalkTheDueIndex: a claim reads the due feeds in order from
// feeds_polled_due and stops after its batch; a sort would read every due
// feed first.
func TestClaimPlansWalkTheDueIndex(t *testing.T) {
	s := openTemp(t, Options{})
	syncBenchFeeds(t, s, 50)
	now := time.Now().UnixMicro()
	for _, q := range []struct {
		name, where string
		args        []any
	}{
		{"leases in feed_leases", claimWhere, []any{now, 10}},
		{"resuming", claimAfterWhere, []any{now, 10, now - 1, 7}},
		{"leases in memory", claimExceptWhere, []any{now, 10, "[1,2,3]"}},
	} {
		plan := queryPlan(t, s, claimSQL(s.itemDates.column, q.where), q.args...)
		if !strings.Contains(plan, "USING INDEX feeds_polled_due") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("claim plan (%s): want a walk of feeds_polled_due and no sort, got\n%s", q.name, plan)
		}
	}
}
