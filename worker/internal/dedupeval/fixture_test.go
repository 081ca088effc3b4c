package dedupeval

import "testing"

func TestScoreFixture(t *testing.T) {
	const labels = "testdata/labels.jsonl"
	tests := []struct {
		name string
		rows []Row
		want Result
	}{
		{
			name: "All linked by id and url, one false merge in the same template",
			rows: []Row{
				{ID: "p0000", Status: "new"},
				{URL: "http://beta.example/2024/05/11/story-a", Status: "dup", DupOf: "p0000.html"},
				{URL: "http://127.0.0.1:9999/pages/p0002.html", Status: "dup", DupOf: "https://alpha.example/news/view.html?idx=1"},
				{ID: "p0003", Status: "new"},
				{ID: "p0004", Status: "dup", DupOf: "p0002"},
			},
			want: Result{Pages: 5, GoldPairs: 3, PredictedPairs: 6, TruePairs: 3, Lost: 1, FPSameTemplate: 1, FPSameSite: 1, FPOther: 1},
		},
		{
			name: "Cluster mode, duplicate rows and unknown keys",
			rows: []Row{
				{ID: "p0000", Cluster: "x"},
				{ID: "p0001", Cluster: "y"},
				{ID: "p0001", Cluster: "x"},
				{ID: "p0002", Cluster: "x"},
				{ID: "p9999", Cluster: "x"},
				{URL: "https://other.example/a", Cluster: "x"},
			},
			want: Result{Pages: 3, Unknown: 2, GoldPairs: 3, PredictedPairs: 1, TruePairs: 1, MissedDupClusters: 1},
		},
		{
			name: "Unresolved dup_of joins a virtual node",
			rows: []Row{
				{ID: "p0001", DupOf: "elsewhere"},
				{ID: "p0002", DupOf: "elsewhere"},
				{ID: "p0003"},
			},
			want: Result{Pages: 3, GoldPairs: 3, PredictedPairs: 1, TruePairs: 1, Lost: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Score(labels, tt.rows)
			if err != nil {
				t.Fatal(err)
			}
			type counts struct{ pages, unknown, gold, pred, tp, lost, missed, tmpl, site, other int }
			g := counts{got.Pages, got.Unknown, got.GoldPairs, got.PredictedPairs, got.TruePairs, got.Lost, got.MissedDupClusters, got.FPSameTemplate, got.FPSameSite, got.FPOther}
			w := tt.want
			want := counts{w.Pages, w.Unknown, w.GoldPairs, w.PredictedPairs, w.TruePairs, w.Lost, w.MissedDupClusters, w.FPSameTemplate, w.FPSameSite, w.FPOther}
			if g != want {
				t.Fatalf("got %+v, want %+v", g, want)
			}
		})
	}
}

func TestRecallByEdit(t *testing.T) {
	rows := []Row{{ID: "p0000"}, {ID: "p0001", DupOf: "p0000"}, {ID: "p0002"}}
	got, err := Score("testdata/labels.jsonl", rows)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]EditRecall{"trim_tail": {1, 1}, "headline": {1, 1}, "byline_added": {0, 1}}
	for name, w := range want {
		if g := got.RecallByEdit[name]; g != w {
			t.Errorf("recall for %s = %+v, want %+v", name, g, w)
		}
	}
	if len(got.RecallByEdit) != len(want) {
		t.Errorf("edits %v, want exactly %v", got.RecallByEdit, want)
	}
}
