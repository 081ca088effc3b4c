package dedupeval

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Row is one page the worker saw and what it decided. Key it by ID or URL;
// give Status and DupOf, or Cluster (rows with equal Cluster are one
// article, the first of them the stored one).
type Row struct {
	ID      string `json:"id"`
	URL     string `json:"url"`
	Status  string `json:"status"` // new/stored, or dup/dropped
	DupOf   string `json:"dup_of"` // key of the page it was folded into
	Cluster string `json:"cluster"`
}

func (r Row) key() string {
	if r.ID != "" {
		return r.ID
	}
	return r.URL
}

// ReadRows reads a prediction file: JSONL, or CSV with a header row.
func ReadRows(file string) ([]Row, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("dedupeval: read predictions: %w", err)
	}
	if strings.HasPrefix(strings.TrimSpace(string(b)), "{") {
		return parseJSONL(string(b))
	}
	return parseCSV(string(b))
}

func parseJSONL(s string) ([]Row, error) {
	var rows []Row
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r Row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("dedupeval: predictions line %d: %w", line, err)
		}
		rows = append(rows, r)
	}
	return rows, sc.Err()
}

func parseCSV(s string) ([]Row, error) {
	cr := csv.NewReader(strings.NewReader(s))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("dedupeval: predictions header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("dedupeval: predictions: %w", err)
		}
		rows = append(rows, Row{ID: get(rec, "id"), URL: get(rec, "url"), Status: get(rec, "status"),
			DupOf: get(rec, "dup_of"), Cluster: get(rec, "cluster")})
	}
}
