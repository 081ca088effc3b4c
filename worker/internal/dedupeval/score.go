package dedupeval

import (
	"fmt"
	"sort"
	"strings"
)

// Result is the score of one prediction.
type Result struct {
	Pages          int // pages with a row (first row of each page)
	Unknown        int // rows whose key matches no page
	GoldPairs      int
	PredictedPairs int
	TruePairs      int
	Precision      float64
	Recall         float64
	F1             float64
	// Lost counts articles with a page in the prediction and none stored:
	// their text is gone, the worst error.
	Lost int
	// MissedDupClusters counts articles stored more than once.
	MissedDupClusters int
	// False-positive pairs by kind, each pair counted under the first that fits.
	FPSameTemplate, FPSameSite, FPSameTopic, FPOther int
	// RecallByEdit: for each edit name, how many copies (whose original is
	// in the prediction) carry it and how many of them were linked to it.
	RecallByEdit map[string]EditRecall
}

// EditRecall is the recall for copies carrying one edit.
type EditRecall struct{ Linked, Copies int }

// String renders the result as one row of the corpus README's table.
func (r Result) String() string {
	return fmt.Sprintf("P %.3f | R %.3f | F1 %.3f | lost %d | missed-dup clusters %d | FP %d / %d / %d / %d",
		r.Precision, r.Recall, r.F1, r.Lost, r.MissedDupClusters,
		r.FPSameTemplate, r.FPSameSite, r.FPSameTopic, r.FPOther)
}

// EditReport lists recall per edit, one "name linked/copies" per line.
func (r Result) EditReport() string {
	names := make([]string, 0, len(r.RecallByEdit))
	for n := range r.RecallByEdit {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		e := r.RecallByEdit[n]
		fmt.Fprintf(&b, "%-20s %3d/%3d %.3f\n", n, e.Linked, e.Copies, float64(e.Linked)/float64(max(e.Copies, 1)))
	}
	return b.String()
}

// ScoreFile scores a prediction file (JSONL or CSV) against labels.jsonl.
func ScoreFile(labelsPath, predictionsPath string) (Result, error) {
	rows, err := ReadRows(predictionsPath)
	if err != nil {
		return Result{}, err
	}
	return Score(labelsPath, rows)
}

// Score scores prediction rows against labels.jsonl as the corpus README
// defines it.
func Score(labelsPath string, rows []Row) (Result, error) {
	labels, err := ReadLabels(labelsPath)
	if err != nil {
		return Result{}, err
	}
	return ScoreLabels(labels, rows), nil
}

// ScoreLabels is Score on labels already read.
func ScoreLabels(labels []Label, rows []Row) Result {
	var res Result
	res.RecallByEdit = map[string]EditRecall{}
	res.GoldPairs = goldPairs(labels)

	res2 := newResolver(labels)
	uf := newUnionFind()
	present := map[int]bool{}
	stored := map[int]bool{}
	firstOfCluster := map[string]bool{}
	for _, row := range rows {
		page, ok := res2.resolve(row.key())
		if !ok {
			res.Unknown++
			continue
		}
		if present[page] {
			continue // only the first row of a page counts
		}
		present[page] = true
		stored[page] = isStored(row, firstOfCluster)
		self := pageNode(page)
		uf.find(self)
		if row.DupOf != "" {
			if target, ok := res2.resolve(row.DupOf); ok {
				uf.union(self, pageNode(target))
			} else {
				uf.union(self, "dup:"+row.DupOf)
			}
		}
		if row.Cluster != "" {
			uf.union(self, "cluster:"+row.Cluster)
		}
	}
	res.Pages = len(present)

	groups := map[string][]int{}
	for page := range present {
		root := uf.find(pageNode(page))
		groups[root] = append(groups[root], page)
	}
	for _, g := range groups {
		res.PredictedPairs += len(g) * (len(g) - 1) / 2
		for i := 0; i < len(g); i++ {
			for j := i + 1; j < len(g); j++ {
				a, b := labels[g[i]], labels[g[j]]
				if a.Cluster == b.Cluster {
					res.TruePairs++
					continue
				}
				switch {
				case a.Template == b.Template:
					res.FPSameTemplate++
				case a.Site == b.Site:
					res.FPSameSite++
				case sameTopic(a, b):
					res.FPSameTopic++
				default:
					res.FPOther++
				}
			}
		}
	}
	res.Precision = 1
	if res.PredictedPairs > 0 {
		res.Precision = float64(res.TruePairs) / float64(res.PredictedPairs)
	}
	if res.GoldPairs > 0 {
		res.Recall = float64(res.TruePairs) / float64(res.GoldPairs)
	}
	if res.Precision+res.Recall > 0 {
		res.F1 = 2 * res.Precision * res.Recall / (res.Precision + res.Recall)
	}

	clusterPresent := map[string]bool{}
	clusterStored := map[string]int{}
	original := map[string]int{}
	for page := range present {
		c := labels[page].Cluster
		clusterPresent[c] = true
		if stored[page] {
			clusterStored[c]++
		}
		if labels[page].Kind == "original" {
			original[c] = page
		}
	}
	for c := range clusterPresent {
		switch n := clusterStored[c]; {
		case n == 0:
			res.Lost++
		case n > 1:
			res.MissedDupClusters++
		}
	}

	for page := range present {
		l := labels[page]
		orig, ok := original[l.Cluster]
		if l.Kind != "copy" || !ok {
			continue
		}
		linked := uf.find(pageNode(page)) == uf.find(pageNode(orig))
		seen := map[string]bool{}
		for _, op := range l.Ops {
			name, _, _ := strings.Cut(op, ":")
			if seen[name] {
				continue
			}
			seen[name] = true
			e := res.RecallByEdit[name]
			e.Copies++
			if linked {
				e.Linked++
			}
			res.RecallByEdit[name] = e
		}
	}
	return res
}

// isStored applies the README's rule: a recognised status decides; else the
// first row of a cluster value is stored; else a row is stored unless it
// names the page it duplicates.
func isStored(row Row, firstOfCluster map[string]bool) bool {
	switch strings.ToLower(strings.TrimSpace(row.Status)) {
	case "new", "stored":
		return true
	case "dup", "dropped":
		return false
	}
	if row.Cluster != "" {
		if firstOfCluster[row.Cluster] {
			return false
		}
		firstOfCluster[row.Cluster] = true
		return true
	}
	return row.DupOf == ""
}

func goldPairs(labels []Label) int {
	size := map[string]int{}
	for _, l := range labels {
		size[l.Cluster]++
	}
	n := 0
	for _, s := range size {
		n += s * (s - 1) / 2
	}
	return n
}

func sameTopic(a, b Label) bool {
	for _, c := range a.SameTopic {
		if c == b.Cluster {
			return true
		}
	}
	for _, c := range b.SameTopic {
		if c == a.Cluster {
			return true
		}
	}
	return false
}

func pageNode(i int) string { return fmt.Sprintf("page:%d", i) }
