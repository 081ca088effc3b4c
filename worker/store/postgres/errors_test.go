package postgres

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wiresift/wiresift/worker/store"
)

// TestWriteErrMapsServerStates: the server states a run cannot go on after
// become the store's sentinels, so the pipeline stops on them as it does on
// SQLite; anything else stays a plain wrapped error.
func TestWriteErrMapsServerStates(t *testing.T) {
	tests := []struct {
		code string
		want error
	}{
		{"25006", store.ErrReadOnlyMode},
		{"53100", store.ErrStorageFull},
		{"23505", nil},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			pgErr := &pgconn.PgError{Code: tt.code, Message: "server says no"}
			err := writeErr("ingest", pgErr)
			if !errors.Is(err, pgErr) {
				t.Errorf("writeErr(%s): want the server error kept, got %v", tt.code, err)
			}
			for _, s := range []error{store.ErrReadOnlyMode, store.ErrStorageFull} {
				if got := errors.Is(err, s); got != (s == tt.want) {
					t.Errorf("writeErr(%s): errors.Is(%v) = %v, want %v", tt.code, s, got, s == tt.want)
				}
			}
		})
	}
}
