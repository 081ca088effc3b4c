package postgres

import (
	"testing"

	"github.com/wiresift/wiresift/worker/internal/pgtest"
	"github.com/wiresift/wiresift/worker/internal/storetest"
	"github.com/wiresift/wiresift/worker/store"
)

// The CLI extras are part of the contract for both stores.

// TestContract runs the shared store contract suite against PostgreSQL, each
// subtest on its own schema.
func TestContract(t *testing.T) {
	pgtest.DSN(t) // skip early when no server is configured
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _ := openTest(t)
		return s
	})
}
