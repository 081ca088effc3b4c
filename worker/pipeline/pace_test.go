package pipeline

import (
	"testing"
	"time"
)

func TestPaceBatchKeepsClaimedFeedsWithinTheLease(t *testing.T) {
	tests := []struct {
		name        string
		concurrency int
		lease, poll time.Duration
		want        int
	}{
		{"quick 304s fill a whole batch", 8, 15 * time.Minute, time.Millisecond, DefaultClaimBatch},
		{"slow polls, short lease", 12, 3 * time.Second, 300 * time.Millisecond, 15},
		{"in between", 8, 4 * time.Second, 100 * time.Millisecond, 40},
		{"never fewer than the workers", 8, time.Second, 10 * time.Second, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPace(tt.concurrency, tt.lease, DefaultClaimBatch)
			for range 100 { // long enough for the average to settle
				p.observe(tt.poll)
			}
			if got := p.batch(); got != tt.want {
				t.Errorf("batch at %v a poll, lease %v, %d workers: got %d, want %d", tt.poll, tt.lease, tt.concurrency, got, tt.want)
			}
		})
	}
	if got := newPace(8, 15*time.Minute, DefaultClaimBatch).batch(); got != DefaultClaimBatch {
		t.Errorf("before any poll, 15m lease: got %d, want %d", got, DefaultClaimBatch)
	}
	if got := newPace(12, 3*time.Second, DefaultClaimBatch).batch(); got != 12 {
		t.Errorf("before any poll, 3s lease: got %d, want the 12 workers", got)
	}
}
