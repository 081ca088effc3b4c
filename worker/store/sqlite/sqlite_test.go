package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/storetest"
	"github.com/wiresift/wiresift/worker/store"
)

// schemaText reads the repository's schema.sql, as main.go embeds it.
func schemaText(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "schema.sql"))
	if err != nil {
		t.Fatalf("read schema.sql: %v", err)
	}
	return string(b)
}

// openTemp opens a fresh store in a temporary directory.
func openTemp(t testing.TB, o Options) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wiresift.db")
	s, err := OpenWith(context.Background(), path, schemaText(t), o)
	if err != nil {
		t.Fatalf("OpenWith(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t, Options{}) })
}

// TestContractClaimingAlone holds a store that keeps its leases in memory
// (ClaimAlone), as poll and run open it, to the same rules.
func TestContractClaimingAlone(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s := openTemp(t, Options{})
		if _, err := s.ClaimAlone(context.Background()); err != nil {
			t.Fatalf("ClaimAlone: %v", err)
		}
		return s
	})
}
