package dedup

import (
	"strings"
	"testing"
)

// storedAs turns a text into the candidate the store would return for it.
func storedAs(id int64, text string) Candidate {
	fp := Make(text)
	return Candidate{ArticleID: id, Sketch: fp.Sketch, Words: fp.Words, Shared: 1}
}

func sharedKeys(a, b Fingerprint) int {
	in := map[uint64]bool{}
	for _, k := range a.Keys {
		in[k] = true
	}
	n := 0
	for _, k := range b.Keys {
		if in[k] {
			n++
		}
	}
	return n
}

func TestBestFindsSyndicatedCopies(t *testing.T) {
	original := readFixture(t, "harbour.txt")
	sidebar := readFixture(t, "sidebar.txt")
	tests := []struct {
		name string
		edit func(string) string
	}{
		{"Identical", func(s string) string { return s }},
		{"Headline rewritten", withHeadline("Harbour expansion gets green light")},
		{"Headline with update prefix", withHeadline("UPDATE 2-City council approves expansion of the old harbour")},
		{"Dateline", withDateline},
		{"Byline", withByline},
		{"Credit line", withCredit},
		{"Agency attribution", withAttribution},
		{"Read more line inserted", withReadMore},
		{"Ad block inserted", withAd},
		{"Site boilerplate", withSiteBoilerplate},
		{"Quotes straightened", quotesStraightened},
		{"Quotes curled", compose(quotesStraightened, quotesCurled)},
		{"Paragraphs merged", parasMerged},
		{"Hard-wrapped lines", hardWrapped},
		{"Sentence dropped", sentenceDropped},
		{"Word edits", wordEdits},
		{"Tail trimmed to 60%", trimmed(0.6)},
		{"Template sidebar left by the extractor", withFurniture(sidebar)},
		{"All edits at once", compose(withHeadline("EXCLUSIVE: Harbour to grow"), withDateline, withByline,
			sentenceDropped, trimmed(0.6), withReadMore, withAd, withCredit, quotesStraightened, withSiteBoilerplate)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			copyText := tt.edit(original)
			stored := Make(original)
			fp := Make(copyText)
			if n := sharedKeys(stored, fp); n == 0 {
				t.Fatalf("copy shares no lookup key with the original (%d and %d keys): the store would never offer it", len(stored.Keys), len(fp.Keys))
			}
			cands := []Candidate{storedAs(7, readFixture(t, "rail.txt")), storedAs(42, original)}
			m, ok := Best(fp, cands)
			if !ok || m.ArticleID != 42 {
				t.Fatalf("Best = %+v, %v; want a match with article 42", m, ok)
			}
			if m.Similarity < minContainment || m.Similarity > 1 {
				t.Fatalf("similarity %.3f outside [%.2f, 1]", m.Similarity, minContainment)
			}
		})
	}
}

func TestBestKeepsDifferentStoriesApart(t *testing.T) {
	harbour := readFixture(t, "harbour.txt")
	sidebar := readFixture(t, "sidebar.txt")
	rail := readFixture(t, "rail.txt")
	tests := []struct {
		name          string
		stored, fresh string
	}{
		{"Unrelated stories", harbour, rail},
		{"Same topic, different story", harbour, readFixture(t, "harbour_topic.txt")},
		{"Same template sidebar", harbour + "\n\n" + sidebar, rail + "\n\n" + sidebar},
		// The sidebar is more than half of the short text: containment alone
		// would accept, the leads tell the stories apart.
		{"Short story mostly template", harbour + "\n\n" + sidebar, trimmed(0.3)(rail) + "\n\n" + sidebar},
		{"Same boilerplate lines", withSiteBoilerplate(withCredit(harbour)), withSiteBoilerplate(withCredit(rail))},
		{"Too short to judge", "Share this article. Click to comment.", "Share this article. Click to comment."},
		// An extractor that returned only the sidebar of one page: the other
		// page, a long story in the same template, contains all of it.
		{"Fragment inside a long page", harbour + "\n\n" + rail + "\n\n" + readFixture(t, "harbour_topic.txt") + "\n\n" + sidebar, sidebar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, ok := Best(Make(tt.fresh), []Candidate{storedAs(1, tt.stored)}); ok {
				t.Fatalf("Best matched a different story: %+v", m)
			}
		})
	}
}

func TestBestUpgradesTrimmedStoredCopy(t *testing.T) {
	full := readFixture(t, "harbour.txt")
	short := trimmed(0.6)(full)
	tests := []struct {
		name          string
		stored, fresh string
		wantUpgrade   bool
	}{
		{"Longer copy replaces a trimmed one", short, full, true},
		{"Longer copy with a new dateline", short, withDateline(full), true},
		{"Trimmed copy never replaces a longer one", full, short, false},
		{"Same length is no upgrade", full, quotesStraightened(full), false},
		{"A longer page that lost a third of the story is no upgrade", full,
			trimmed(0.6)(full) + "\n\n" + readFixture(t, "rail.txt"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := Best(Make(tt.fresh), []Candidate{storedAs(9, tt.stored)})
			if !ok {
				t.Fatal("Best found no match, want the stored copy")
			}
			if m.Upgrade != tt.wantUpgrade {
				t.Fatalf("Upgrade = %v (similarity %.3f), want %v", m.Upgrade, m.Similarity, tt.wantUpgrade)
			}
		})
	}
}

func TestBestPrefersTheCloserCandidate(t *testing.T) {
	full := readFixture(t, "harbour.txt")
	rail := readFixture(t, "rail.txt")
	tests := []struct {
		name  string
		cands []Candidate
		fresh string
		want  int64
	}{
		{"Complete copy over a trimmed one", []Candidate{storedAs(1, trimmed(0.6)(full)), storedAs(2, withCredit(full)), storedAs(3, rail)},
			withDateline(full), 2},
		{"Same story over a page that also holds it", []Candidate{storedAs(1, full+"\n\n"+rail), storedAs(2, full)},
			withDateline(trimmed(0.7)(full)), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := Best(Make(tt.fresh), tt.cands)
			if !ok || m.ArticleID != tt.want {
				t.Fatalf("Best = %+v, %v; want article %d", m, ok, tt.want)
			}
		})
	}
}

func TestMake(t *testing.T) {
	long := readFixture(t, "harbour.txt")
	tests := []struct {
		name      string
		text      string
		wantWords int
		wantKeys  int
	}{
		{"Empty", "", 0, 0},
		{"Four words have no shingle", "one two three four", 4, 0},
		{"Five words, one shingle", "one two three four five", 5, 1},
		{"Article keys are capped", long, 316, keysPerText}, // "Twenty-one" is two words
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp := Make(tt.text)
			if fp.Words != tt.wantWords || len(fp.Keys) != tt.wantKeys {
				t.Fatalf("Make: %d words, %d keys; want %d words, %d keys", fp.Words, len(fp.Keys), tt.wantWords, tt.wantKeys)
			}
		})
	}
	a, b := Make(long), Make(strings.ToUpper(quotesStraightened(long)))
	if string(a.Sketch) != string(b.Sketch) || sharedKeys(a, b) != keysPerText {
		t.Fatal("Make differs on a copy that differs only in case and quotes; want the same sketch and keys")
	}
}

func TestBestIgnoresUnreadableSketches(t *testing.T) {
	fp := Make(readFixture(t, "harbour.txt"))
	for _, sk := range [][]byte{nil, {}, {0}, {99, 1, 2, 3, 4}, {sketchVersion, 200, 1}, {sketchVersion, 5, 1, 2, 3, 4}} {
		if m, ok := Best(fp, []Candidate{{ArticleID: 1, Sketch: sk}}); ok {
			t.Fatalf("Best matched the unreadable sketch %v: %+v", sk, m)
		}
	}
	if m, ok := Best(Fingerprint{}, []Candidate{storedAs(1, "a b c d e f g")}); ok {
		t.Fatalf("Best matched an empty fingerprint: %+v", m)
	}
}
