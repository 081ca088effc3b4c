package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/htmlparse"
)

func TestParseBudgetHoldsDocumentsToItsTotal(t *testing.T) {
	b := newParseBudget(100)
	first, err := b.acquire(context.Background(), 60)
	if err != nil {
		t.Fatal(err)
	}
	if b.sem.TryAcquire(50) {
		t.Fatal("60 + 50 admitted within a budget of 100")
	}
	if !b.sem.TryAcquire(40) {
		t.Fatal("60 + 40 not admitted within a budget of 100")
	}
	b.sem.Release(40)
	first()
	// A document heavier than the whole budget runs alone, not never.
	huge, err := b.acquire(context.Background(), 1000)
	if err != nil {
		t.Fatalf("acquire of more than the total: %v", err)
	}
	if b.sem.TryAcquire(1) {
		t.Fatal("a document admitted beside one that took the whole budget")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.acquire(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire while full, cancelled = %v, want context.Canceled", err)
	}
	huge()
	if !b.sem.TryAcquire(100) {
		t.Fatal("the budget is not whole again after every release")
	}
}

func TestPageRoomGrowsOnlyIntoFreeBudget(t *testing.T) {
	b := newParseBudget(100 * bytesPerPageNode)
	room, err := b.admitPage(context.Background(), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := b.admitPage(context.Background(), 50, 0)
	if !room.Grow(50) {
		t.Fatal("growth from 10 to 50 nodes refused with 40 free")
	}
	if room.Grow(51) {
		t.Fatal("growth to 51 nodes granted beside 50 others in a budget of 100")
	}
	other.Release()
	if !room.Grow(1000) {
		t.Fatal("growth past the whole budget refused when the room is alone: it must run alone")
	}
	if b.sem.TryAcquire(1) {
		t.Fatal("budget left beside a room that took it whole")
	}
	room.Release()
	if !b.sem.TryAcquire(100 * bytesPerPageNode) {
		t.Fatal("the budget is not whole again after every release")
	}
}

// TestParseThatCannotGrowWaitsHoldingNothing: a page whose tree outgrows
// the room first admitted for it, while another holds the budget, releases
// its room and waits for the whole budget, holding nothing, then parses.
func TestParseThatCannotGrowWaitsHoldingNothing(t *testing.T) {
	page := []byte(strings.Repeat("<p>word</p>", 10_000)) // 20,000 nodes; guessed 4,583
	b := newParseBudget(8 << 20)
	ctx := context.Background()
	first, err := b.admitPage(ctx, 10_000, 0) // 5 MB of 8
	if err != nil {
		t.Fatal(err)
	}
	type admission struct{ nodes, held int } // held: the page's rooms held when asking
	admitted := make(chan admission, 4)
	done := make(chan error, 1)
	go func() {
		held := 0
		admit := func(nodes, size int) (htmlparse.Room, error) {
			admitted <- admission{nodes, held}
			room, err := b.admitPage(ctx, nodes, size)
			if err != nil {
				return nil, err
			}
			held++
			return trackedRoom{room, &held}, nil
		}
		release, err := htmlparse.Default.Within(len(page), admit, func(room htmlparse.Room) error {
			_, err := htmlparse.Default.Parse(page, room)
			return err
		})
		if err == nil {
			release()
		}
		done <- err
	}()
	if a := <-admitted; a.nodes >= 20_000 {
		t.Fatalf("first admitted %d nodes, want a guess below the tree", a.nodes)
	}
	a := <-admitted
	if a.nodes != htmlparse.Default.NodesFor(len(page)) {
		t.Fatalf("admitted %d nodes after the room could not grow, want the limit's %d", a.nodes, htmlparse.Default.NodesFor(len(page)))
	}
	if a.held != 0 {
		t.Fatalf("the page asks for the whole budget holding %d rooms, want none", a.held)
	}
	first.Release()
	if err := <-done; err != nil {
		t.Fatalf("the page waiting for the whole budget: %v", err)
	}
	if !b.sem.TryAcquire(8 << 20) {
		t.Fatal("the budget is not whole again after every release")
	}
}

// trackedRoom counts the rooms a test holds.
type trackedRoom struct {
	htmlparse.Room
	held *int
}

func (r trackedRoom) Release() {
	*r.held--
	r.Room.Release()
}
