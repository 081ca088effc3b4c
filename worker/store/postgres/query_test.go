package postgres

import (
	"errors"
	"fmt"
	"testing"
)

func TestTranslateQuery(t *testing.T) {
	tests := []struct {
		name  string
		query string
		expr  string
		args  []any
	}{
		{"one word", "volcano", "plainto_tsquery('simple', $1)", []any{"volcano"}},
		{"implicit and", "harbour strike",
			"(plainto_tsquery('simple', $1) && plainto_tsquery('simple', $2))", []any{"harbour", "strike"}},
		{"phrase", `"harbour strike"`, "phraseto_tsquery('simple', $1)", []any{"harbour strike"}},
		{"prefix", "volc*", "to_tsquery('simple', $1)", []any{"'volc':*"}},
		{"quote in prefix is escaped", "o'br*", "to_tsquery('simple', $1)", []any{"'o''br':*"}},
		{"or is looser than and", "a b OR c",
			"((plainto_tsquery('simple', $1) && plainto_tsquery('simple', $2)) || plainto_tsquery('simple', $3))",
			[]any{"a", "b", "c"}},
		{"not", "a NOT b", "(plainto_tsquery('simple', $1) && !!plainto_tsquery('simple', $2))", []any{"a", "b"}},
		{"parentheses", "(a OR b) AND c",
			"((plainto_tsquery('simple', $1) || plainto_tsquery('simple', $2)) && plainto_tsquery('simple', $3))",
			[]any{"a", "b", "c"}},
		{"lower-case operators are words", "cats and dogs",
			"((plainto_tsquery('simple', $1) && plainto_tsquery('simple', $2)) && plainto_tsquery('simple', $3))",
			[]any{"cats", "and", "dogs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expr, args, err := translateQuery(tt.query)
			if err != nil {
				t.Fatalf("translateQuery(%q): unexpected error %v", tt.query, err)
			}
			if expr != tt.expr || fmt.Sprint(args) != fmt.Sprint(tt.args) {
				t.Errorf("translateQuery(%q) =\n  %s %v\nwant\n  %s %v", tt.query, expr, args, tt.expr, tt.args)
			}
		})
	}
}

func TestTranslateQueryRejectsBadSyntax(t *testing.T) {
	for _, q := range []string{``, `   `, `"unbalanced quote`, `(unclosed`, `closed)`, `volcano AND`,
		`OR volcano`, `a NOT`, `()`, `a AND OR b`} {
		t.Run(q, func(t *testing.T) {
			if _, _, err := translateQuery(q); !errors.Is(err, errSyntax) {
				t.Errorf("translateQuery(%q): err = %v, want a syntax error", q, err)
			}
		})
	}
}
