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
	plan := queryPlan(t, s, censusSQL, time.Now().UnixMicro())
	for _, line := range strings.Split(plan, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "SCAN" && (f[1] == "feeds" || f[1] == "f") {
			t.Errorf("census plan scans the feeds: %q in\n%s", line, plan)
		}
	}
}
