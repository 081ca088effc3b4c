package schedule

import (
	"math/rand/v2"
	"testing"
	"time"
)

// An interval computed from the kept dates is the one computed from all of
// them, at the poll that kept them and at any later one.
func TestDatesToKeepChangeNoInterval(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	saved := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := Policy{Min: time.Minute, Max: 30 * 24 * time.Hour}
	for round := range 500 {
		n := rng.IntN(80)
		dates := make([]time.Time, n)
		for i := range dates {
			switch rng.IntN(10) {
			case 0:
				dates[i] = time.Time{} // undated
			case 1:
				dates[i] = saved.Add(time.Duration(rng.IntN(72)) * time.Hour) // future
			case 2:
				if i > 0 {
					dates[i] = dates[i-1] // the same stamp again
					continue
				}
				fallthrough
			default:
				dates[i] = saved.Add(-time.Duration(rng.IntN(30*24*60)) * time.Minute)
			}
		}
		kept := DatesToKeep(saved, dates)
		if len(kept) > n {
			t.Fatalf("round %d: kept %d of %d dates", round, len(kept), n)
		}
		for _, later := range []time.Duration{0, time.Hour, 25 * time.Hour, 80 * time.Hour} {
			now := saved.Add(later)
			if all, some := p.adaptiveInterval(now, dates), p.adaptiveInterval(now, kept); all != some {
				t.Fatalf("round %d, %v after the save: interval %v from all %d dates, %v from the %d kept",
					round, later, all, n, some, len(kept))
			}
		}
	}
}

func TestDatesToKeep(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	hours := func(hs ...int) []time.Time {
		out := make([]time.Time, len(hs))
		for i, h := range hs {
			out[i] = now.Add(time.Duration(h) * time.Hour)
		}
		return out
	}
	tests := []struct {
		name  string
		dates []time.Time
		want  int
	}{
		{"none", nil, 0},
		{"a few", hours(-1, -2, -3), 3},
		{"fifty past: the newest twenty", hours(seq(-50, -1)...), recentDates},
		{"repeated stamps count once", hours(-1, -1, -1, -2), 2},
		{"future ones all kept", append(hours(seq(-30, -1)...), hours(5, 6)...), recentDates + 2},
		{"undated dropped", []time.Time{{}, now.Add(-time.Hour)}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DatesToKeep(now, tt.dates)
			if got == nil || len(got) != tt.want {
				t.Errorf("DatesToKeep kept %d dates (nil %v); want %d, never nil", len(got), got == nil, tt.want)
			}
		})
	}
}

// seq is from, from+1, ..., to.
func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}
