package extracteval

import "testing"

// TestHalfIsFixedByFileName pins the split: a page stays in its half from
// run to run and from machine to machine, or "the other half" would mean
// nothing.
func TestHalfIsFixedByFileName(t *testing.T) {
	tests := []struct {
		id   string
		want int
	}{
		{"7850660f4c66de39", 0},
		{"86a7f6480f686498", 1},
		{"cca61fbd379e68eb", 1},
	}
	for _, tt := range tests {
		if got := Half(tt.id); got != tt.want {
			t.Errorf("Half(%q) = %d, want %d", tt.id, got, tt.want)
		}
	}
}

func TestByHalfPoolsEachHalf(t *testing.T) {
	r := &Report{Pages: []PageScore{
		{Page: Page{ID: "7850660f4c66de39"}, Counts: Counts{TP: 3, FP: 1}},
		{Page: Page{ID: "86a7f6480f686498"}, Counts: Counts{TP: 1, FN: 2}},
		{Page: Page{ID: "cca61fbd379e68eb"}, Counts: Counts{TP: 2}},
	}}
	got := r.ByHalf()
	if want := (Counts{TP: 3, FP: 1}); got[0] != want {
		t.Errorf("half 0 = %+v, want %+v", got[0], want)
	}
	if want := (Counts{TP: 3, FN: 2}); got[1] != want {
		t.Errorf("half 1 = %+v, want %+v", got[1], want)
	}
}
