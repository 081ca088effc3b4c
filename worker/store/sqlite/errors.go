package sqlite

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/wiresift/wiresift/worker/store"
	sqlitedrv "modernc.org/sqlite"
)

// ErrBusy: another connection held the write lock for longer than the busy
// timeout.
var ErrBusy = errors.New("sqlite: database is locked by another connection")

// Primary SQLite result codes that change how an error is reported.
const (
	codeBusy     = 5
	codeReadOnly = 8
	codeIOErr    = 10
	codeFull     = 13
)

func sqliteCode(err error) int {
	var e *sqlitedrv.Error
	if errors.As(err, &e) {
		return e.Code() & 0xff
	}
	return 0
}

// wrap names the package, the file and the operation, and adds the sentinel
// that lets callers decide with errors.Is.
func (s *Store) wrap(op string, err error) error {
	switch {
	case sqliteCode(err) == codeBusy:
		return fmt.Errorf("sqlite: %s: %s: %w (waited %v): %w", s.path, op, ErrBusy, s.busy, err)
	case sqliteCode(err) == codeReadOnly:
		return fmt.Errorf("sqlite: %s: %s: %w: %w", s.path, op, store.ErrReadOnlyMode, err)
	case sqliteCode(err) == codeIOErr:
		return fmt.Errorf("sqlite: %s: %s: %w: %w", s.path, op, store.ErrStorageFailed, err)
	case sqliteCode(err) == codeFull:
		return fmt.Errorf("sqlite: %s: %s: %w: %w", s.path, op, store.ErrStorageFull, err)
	}
	return fmt.Errorf("sqlite: %s: %s: %w", s.path, op, err)
}

// isFTSSyntax reports whether a MATCH failed on the query's syntax rather
// than on the database.
func isFTSSyntax(err error) bool {
	msg := err.Error()
	for _, m := range []string{"fts5:", "syntax error", "unterminated string", "no such column", "malformed MATCH"} {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

func isReadOnlyFS(err error) bool { return errors.Is(err, syscall.EROFS) }
