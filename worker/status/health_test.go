package status

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/pipeline"
	"github.com/wiresift/wiresift/worker/store"
)

// TestHealthMeansProgress: a loop that turns is not enough; a worker that
// cannot claim, store or poll is unhealthy, and is healthy again as soon
// as the work succeeds.
func TestHealthMeansProgress(t *testing.T) {
	refused := errors.New("disk I/O error")
	type step func(h *Health, c *testClock)
	beat := func(h *Health, _ *testClock) { h.Beat() }
	claimFails := func(h *Health, _ *testClock) { h.Beat(); h.ClaimDone(refused) }
	claimWorks := func(h *Health, _ *testClock) { h.Beat(); h.ClaimDone(nil) }
	itemFails := func(h *Health, _ *testClock) { h.ItemDone(pipeline.ItemReport{Err: refused}) }
	itemStored := func(h *Health, _ *testClock) { h.ItemDone(pipeline.ItemReport{Reason: store.ReasonFirst}) }
	pollFails := func(h *Health, _ *testClock) {
		h.FeedDone(pipeline.FeedReport{Err: errors.New("dial tcp: connection refused")})
	}
	pollWorks := func(h *Health, _ *testClock) { h.FeedDone(pipeline.FeedReport{Outcome: pipeline.OutcomeOK}) }
	shutdown := func(h *Health, _ *testClock) {
		h.ItemDone(pipeline.ItemReport{Err: context.Canceled})
		h.FeedDone(pipeline.FeedReport{Err: context.Canceled})
	}
	wait := func(d time.Duration) step { return func(_ *Health, c *testClock) { c.now = c.now.Add(d) } }
	repeat := func(n int, s step) step {
		return func(h *Health, c *testClock) {
			for range n {
				s(h, c)
			}
		}
	}
	tests := []struct {
		name  string
		steps []step
		want  string // "" for healthy, else a part of the problem
	}{
		{"not started", nil, "not started"},
		{"loop turns and claims", []step{claimWorks}, ""},
		{"loop stuck", []step{beat, wait(4 * time.Minute)}, "no loop turn for 4m0s"},
		{"loop turns but every claim fails", []step{claimFails, claimFails, claimFails}, "cannot claim feeds, failing since 12:00:00 UTC (3 in a row): disk I/O error"},
		{"claims recover", []step{claimFails, claimFails, claimWorks}, ""},
		{"items cannot be stored", []step{claimWorks, itemFails}, "cannot store items"},
		{"an item stored again", []step{claimWorks, itemFails, itemStored}, ""},
		{"store failures keep coming", []step{claimWorks, itemFails, wait(2 * time.Minute), claimWorks, itemFails, wait(2 * time.Minute), claimWorks}, "cannot store items"},
		{"a passing store failure", []step{claimWorks, itemFails, wait(4 * time.Minute), claimWorks}, ""},
		{"every poll fails", []step{claimWorks, repeat(PollFailLimit, pollFails)}, fmt.Sprintf("the last %d feed polls all failed", PollFailLimit)},
		{"some polls fail", []step{claimWorks, repeat(PollFailLimit-1, pollFails), pollWorks, repeat(PollFailLimit-1, pollFails)}, ""},
		{"shutdown is no fault", []step{claimWorks, repeat(PollFailLimit, shutdown)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			h := NewHealth(c.Now, 0)
			for _, s := range tt.steps {
				s(h, c)
			}
			got := h.Problem()
			switch {
			case tt.want == "" && got != "":
				t.Errorf("want healthy, got %q", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("want a problem saying %q, got %q", tt.want, got)
			}
		})
	}
}

type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time { return c.now }

// TestHealthWatchesTheDiskSpace: on a full disk SQLite still manages a
// write now and then (pages its files already hold), and a poll with
// nothing new writes no item; the worker must be unhealthy for as long as
// the disk is full all the same, whatever the writes in between did, and
// healthy again once there is room and the claims work.
func TestHealthWatchesTheDiskSpace(t *testing.T) {
	fullErr := fmt.Errorf("sqlite: /srv/a.db: ingest x: %w", store.ErrStorageFull)
	type disk struct{ full bool }
	type step func(h *Health, c *testClock, d *disk)
	fill := func(_ *Health, _ *testClock, d *disk) { d.full = true }
	free := func(_ *Health, _ *testClock, d *disk) { d.full = false }
	claimWorks := func(h *Health, _ *testClock, _ *disk) { h.Beat(); h.ClaimDone(nil) }
	claimRefused := func(h *Health, _ *testClock, _ *disk) { h.Beat(); h.ClaimDone(fullErr) }
	itemStored := func(h *Health, _ *testClock, _ *disk) { h.ItemDone(pipeline.ItemReport{Reason: store.ReasonFirst}) }
	itemRefused := func(h *Health, _ *testClock, _ *disk) { h.ItemDone(pipeline.ItemReport{Err: fullErr}) }
	itemIOError := func(h *Health, _ *testClock, _ *disk) {
		h.ItemDone(pipeline.ItemReport{Err: fmt.Errorf("ingest x: %w", store.ErrStorageFailed)})
	}
	pollWorks := func(h *Health, _ *testClock, _ *disk) { h.FeedDone(pipeline.FeedReport{Outcome: pipeline.OutcomeOK}) }
	wait := func(d time.Duration) step { return func(_ *Health, c *testClock, _ *disk) { c.now = c.now.Add(d) } }
	tests := []struct {
		name  string
		steps []step
		want  string // "" for healthy, else a part of the problem
	}{
		{"room on the disk", []step{claimWorks, pollWorks}, ""},
		{"full before any write fails", []step{claimWorks, fill}, "no space left to write the database"},
		{"full, some writes still succeed", []step{claimWorks, fill, claimRefused, claimWorks, pollWorks, itemRefused, itemStored, claimWorks}, "no space left"},
		{"full for hours", []step{claimWorks, fill, itemRefused, wait(2 * time.Hour), claimWorks, pollWorks}, "no space left"},
		{"room again after a refused item", []step{claimWorks, fill, itemRefused, free, claimWorks}, ""},
		{"room again, claims not yet retried", []step{claimWorks, fill, claimRefused, free}, "cannot claim feeds"},
		{"room again, claims work", []step{claimWorks, fill, claimRefused, free, claimWorks}, ""},
		{"an I/O error is not hidden by room on the disk", []step{claimWorks, itemIOError}, "cannot store items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			d := &disk{}
			h := NewHealth(c.Now, 0)
			h.WatchSpace(func() error {
				if d.full {
					return fmt.Errorf("sqlite: /srv/a.db: %w: 0 KiB free on its disk", store.ErrStorageFull)
				}
				return nil
			})
			for _, s := range tt.steps {
				s(h, c, d)
			}
			got := h.Problem()
			switch {
			case tt.want == "" && got != "":
				t.Errorf("want healthy, got %q", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("want a problem saying %q, got %q", tt.want, got)
			}
		})
	}
}
