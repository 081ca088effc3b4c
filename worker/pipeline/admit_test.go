package pipeline

import (
	"context"
	"errors"
	"testing"
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
