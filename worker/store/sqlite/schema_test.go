package sqlite

import (
	"strings"
	"testing"
)

func TestParseSchema(t *testing.T) {
	cases := []struct {
		name     string
		schema   string
		versions int
		wantErr  string
	}{
		{"Two sections", "-- header\n-- version: 1\nCREATE TABLE a (x);\n-- version: 2\nCREATE TABLE b (y);\n", 2, ""},
		{"Blank lines before first", "\n\n-- version: 1\nSELECT 1;\n", 1, ""},
		{"SQL before first section", "CREATE TABLE a (x);\n-- version: 1\nSELECT 1;\n", 0, "before the first"},
		{"Skipped version", "-- version: 1\nSELECT 1;\n-- version: 3\nSELECT 1;\n", 0, "want version 2, found 3"},
		{"Repeated version", "-- version: 1\nSELECT 1;\n-- version: 1\nSELECT 1;\n", 0, "want version 2, found 1"},
		{"No sections", "-- just a comment\n", 0, "no \"-- version: N\" section"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			migs, err := parseSchema(c.schema)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("parseSchema: want an error containing %q, got %v", c.wantErr, err)
				}
				return
			}
			if err != nil || len(migs) != c.versions {
				t.Fatalf("parseSchema: want %d sections, got %d, %v", c.versions, len(migs), err)
			}
			for i, m := range migs {
				if m.version != i+1 || strings.Contains(m.sql, "version:") {
					t.Errorf("section %d: want version %d without its marker line, got %d %q", i, i+1, m.version, m.sql)
				}
			}
		})
	}
}

func TestRepositorySchemaParses(t *testing.T) {
	migs, err := parseSchema(schemaText(t))
	if err != nil || len(migs) < 2 {
		t.Fatalf("schema.sql: want at least 2 versions, got %d, %v", len(migs), err)
	}
}
