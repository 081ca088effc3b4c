package sqlite

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/wiresift/wiresift/worker/store"
)

// migration is one "-- version: N" section of schema.sql.
type migration struct {
	version int
	sql     string
}

var versionLine = regexp.MustCompile(`^--\s*version:\s*(\d+)\s*$`)

// parseSchema splits schema.sql into its migrations, which must be numbered
// 1, 2, 3 … in order. Text before the first section may only be comments.
func parseSchema(schema string) ([]migration, error) {
	var migs []migration
	var cur *strings.Builder
	sc := bufio.NewScanner(strings.NewReader(schema))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if m := versionLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			v, _ := strconv.Atoi(m[1])
			if v != len(migs)+1 {
				return nil, fmt.Errorf("sqlite: schema line %d: want version %d, found %d", n, len(migs)+1, v)
			}
			migs = append(migs, migration{version: v})
			cur = &strings.Builder{}
			continue
		}
		if cur == nil {
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
				return nil, fmt.Errorf("sqlite: schema line %d: SQL before the first \"-- version: 1\" line", n)
			}
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		migs[len(migs)-1].sql = cur.String()
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: read schema: %w", err)
	}
	if len(migs) == 0 {
		return nil, fmt.Errorf("sqlite: schema has no \"-- version: N\" section")
	}
	return migs, nil
}

// prepare checks the schema version, switches to WAL and applies the
// migrations the file lacks. The version check comes first and writes
// nothing, so a newer database is left exactly as it was.
func (s *Store) prepare(ctx context.Context, migs []migration) error {
	newest := migs[len(migs)-1].version
	have, err := userVersion(ctx, s.write)
	if err != nil {
		return s.wrap("read schema version", err)
	}
	if have > newest {
		return fmt.Errorf("sqlite: %s: schema version %d, this wiresift knows up to %d: %w",
			s.path, have, newest, store.ErrNewerSchema)
	}
	if s.readOnly {
		if have < newest {
			return fmt.Errorf("sqlite: %s: schema version %d needs migrating to %d: %w",
				s.path, have, newest, store.ErrReadOnlyMode)
		}
		return nil
	}
	// WAL lets readers go on while one writer commits; the mode is stored in
	// the file, so every later connection uses it.
	if _, err := s.write.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return s.wrap("enable WAL", err)
	}
	for _, m := range migs[have:] {
		if err := s.migrate(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// migrate applies one section in its own transaction, re-reading the version
// under the write lock so that two processes opening a new file at once
// apply each section once.
func (s *Store) migrate(ctx context.Context, m migration) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(fmt.Sprintf("migrate to version %d", m.version), err)
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return s.wrap("read schema version", err)
	}
	if have >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return s.wrap(fmt.Sprintf("migrate to version %d", m.version), err)
	}
	// PRAGMA takes no bound parameters; the version is an int we parsed.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return s.wrap(fmt.Sprintf("set schema version %d", m.version), err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrap(fmt.Sprintf("commit schema version %d", m.version), err)
	}
	return nil
}

func userVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
