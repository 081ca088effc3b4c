package textnorm

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// tableRunes lists the runes the table takes alone, with ASCII.
func tableRunes(t *testing.T) []rune {
	t.Helper()
	var runes []rune
	for r := rune(0); r < utf8.RuneSelf; r++ {
		runes = append(runes, r)
	}
	tables := runeForms()
	for _, rg := range runeRanges {
		for r := rg.lo; r < rg.hi; r++ {
			if lookupRune(tables, r).valid {
				runes = append(runes, r)
			}
		}
	}
	if len(runes) < 1000 {
		t.Fatalf("only %d runes take the fast path; the table is broken", len(runes))
	}
	return runes
}

// The table is right only if a text of its runes folds alike rune by rune
// and through the whole chain, whatever the runes around each one.
func TestHashFormByRuneMatchesTheWholeChain(t *testing.T) {
	runes := tableRunes(t)
	fold := cases.Fold()
	check := func(s string) {
		t.Helper()
		got, ok := hashFormByRune(s)
		if !ok {
			t.Fatalf("hashFormByRune(%q): not taken, want taken", s)
		}
		if want := hashFormWhole(fold, s); got != want {
			t.Fatalf("hashFormByRune(%q) = %q, want %q as the whole chain gives", s, got, want)
		}
	}
	for _, r := range runes {
		for _, around := range []string{"", "a", "A", " ", "é", "Σ", "ς", "ß"} {
			check(around + string(r) + around)
		}
	}
	if !testing.Short() {
		for _, a := range runes {
			for _, b := range runes {
				check(string(a) + string(b))
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		check(string(runes[rng.IntN(len(runes))]) + string(runes[rng.IntN(len(runes))]) + string(runes[rng.IntN(len(runes))]))
	}
}

// Runes that combine with their neighbour, or whose forms do, are not in the
// table: a text with one takes the whole chain.
func TestHashFormByRuneLeavesCombiningRunes(t *testing.T) {
	for _, s := range []string{"e\u0301", "\u0130stanbul", "a\u00a8b", "\xff", "日本", "\u1100\u1161"} {
		if form, ok := hashFormByRune(s); ok {
			t.Errorf("hashFormByRune(%q) = %q, taken; want the whole chain", s, form)
		}
		if got, want := HashForm(s), hashFormWhole(cases.Fold(), s); got != want {
			t.Errorf("HashForm(%q) = %q, want %q", s, got, want)
		}
	}
	if _, ok := hashFormByRune("Grüße aus Łódź — „Straße“ ΟΔΟΣ ещё…"); !ok {
		t.Error("hashFormByRune of Latin, Greek and Cyrillic text with typographic punctuation: not taken, want taken")
	}
}
