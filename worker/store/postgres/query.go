package postgres

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// The search syntax is SQLite FTS5's, so a query means the same on both
// stores: words (implicitly ANDed), "quoted phrases", word* prefixes, AND,
// OR, NOT (upper case) and parentheses; NOT binds tighter than AND, AND
// tighter than OR. translateQuery turns it into a PostgreSQL expression of
// type tsquery whose words are normalised by the same 'simple' configuration
// as the indexed text. Unbalanced quotes or parentheses and dangling
// operators are syntax errors, as in FTS5.

var errSyntax = errors.New("syntax error")

type queryToken struct {
	kind   byte // 'w' word, 'p' phrase, '(' , ')', 'A' AND, 'O' OR, 'N' NOT
	text   string
	prefix bool
}

func lexQuery(q string) ([]queryToken, error) {
	var toks []queryToken
	rs := []rune(q)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')':
			toks = append(toks, queryToken{kind: byte(r)})
			i++
		case r == '"':
			end := i + 1
			for end < len(rs) && rs[end] != '"' {
				end++
			}
			if end == len(rs) {
				return nil, fmt.Errorf("%w: unbalanced quote", errSyntax)
			}
			toks = append(toks, queryToken{kind: 'p', text: string(rs[i+1 : end])})
			i = end + 1
		default:
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) && !strings.ContainsRune(`"()`, rs[end]) {
				end++
			}
			word := string(rs[i:end])
			i = end
			switch word {
			case "AND":
				toks = append(toks, queryToken{kind: 'A'})
			case "OR":
				toks = append(toks, queryToken{kind: 'O'})
			case "NOT":
				toks = append(toks, queryToken{kind: 'N'})
			default:
				prefix := strings.HasSuffix(word, "*")
				toks = append(toks, queryToken{kind: 'w', text: strings.TrimRight(word, "*"), prefix: prefix})
			}
		}
	}
	return toks, nil
}

// queryParser is a recursive-descent parser that writes SQL as it goes; the
// user's words travel as bind parameters, never inside the SQL text.
type queryParser struct {
	toks []queryToken
	pos  int
	args []any
}

// translateQuery returns a tsquery-valued SQL expression and its arguments.
func translateQuery(q string) (string, []any, error) {
	toks, err := lexQuery(q)
	if err != nil {
		return "", nil, err
	}
	if len(toks) == 0 {
		return "", nil, fmt.Errorf("%w: empty query", errSyntax)
	}
	p := &queryParser{toks: toks}
	expr, err := p.or()
	if err != nil {
		return "", nil, err
	}
	if p.pos < len(p.toks) {
		return "", nil, fmt.Errorf("%w: unexpected %s", errSyntax, p.toks[p.pos].describe())
	}
	return expr, p.args, nil
}

func (p *queryParser) peek() byte {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].kind
	}
	return 0
}

func (p *queryParser) or() (string, error) {
	left, err := p.and()
	for err == nil && p.peek() == 'O' {
		p.pos++
		var right string
		right, err = p.and()
		left = "(" + left + " || " + right + ")"
	}
	return left, err
}

func (p *queryParser) and() (string, error) {
	left, err := p.not()
	for err == nil {
		switch p.peek() {
		case 'A':
			p.pos++
		case 'w', 'p', '(':
			// Juxtaposed terms are ANDed.
		default:
			return left, nil
		}
		var right string
		right, err = p.not()
		left = "(" + left + " && " + right + ")"
	}
	return left, err
}

func (p *queryParser) not() (string, error) {
	left, err := p.primary()
	for err == nil && p.peek() == 'N' {
		p.pos++
		var right string
		right, err = p.primary()
		left = "(" + left + " && !!" + right + ")"
	}
	return left, err
}

func (p *queryParser) primary() (string, error) {
	if p.pos >= len(p.toks) {
		return "", fmt.Errorf("%w: query ends after an operator", errSyntax)
	}
	t := p.toks[p.pos]
	p.pos++
	switch t.kind {
	case '(':
		inner, err := p.or()
		if err != nil {
			return "", err
		}
		if p.peek() != ')' {
			return "", fmt.Errorf("%w: unclosed parenthesis", errSyntax)
		}
		p.pos++
		return inner, nil
	case 'p':
		return p.arg("phraseto_tsquery('simple', %s)", t.text), nil
	case 'w':
		if t.prefix && t.text != "" {
			return p.arg("to_tsquery('simple', %s)", prefixLexeme(t.text)), nil
		}
		return p.arg("plainto_tsquery('simple', %s)", t.text), nil
	}
	return "", fmt.Errorf("%w: unexpected %s", errSyntax, t.describe())
}

func (p *queryParser) arg(format, value string) string {
	p.args = append(p.args, value)
	return fmt.Sprintf(format, "$"+strconv.Itoa(len(p.args)))
}

// prefixLexeme quotes a word as a tsquery prefix lexeme: volc → 'volc':*.
func prefixLexeme(word string) string {
	w := strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(word)
	return "'" + w + "':*"
}

func (t queryToken) describe() string {
	switch t.kind {
	case 'A':
		return "AND"
	case 'O':
		return "OR"
	case 'N':
		return "NOT"
	case ')':
		return `")"`
	case '(':
		return `"("`
	}
	return strconv.Quote(t.text)
}
