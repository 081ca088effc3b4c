package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/dedup/policy"
)

// recordingTx is an index of one stored article (id 1) that records the
// writes Decide makes.
type recordingTx struct {
	stored      Sighting // the article's page, when there is one
	seen        bool
	storedUnder string // its URL key
	storedURL   string // its address
	writes      []string
}

func (r *recordingTx) SourceExists(context.Context, int64, string) (bool, error) { return r.seen, nil }

func (r *recordingTx) ArticleByURL(_ context.Context, key string) (policy.Stored, bool, error) {
	if r.stored.Article.Text == "" || key != r.storedUnder {
		return policy.Stored{}, false, nil
	}
	return policy.Stored{ID: 1, URL: r.storedURL, URLKey: r.storedUnder, Sketch: r.stored.Print.Sketch, Words: r.stored.Print.Words}, true, nil
}

func (r *recordingTx) ArticleByHash(_ context.Context, hash string) (int64, bool, error) {
	return 1, r.stored.Article.Text != "" && hash == r.stored.Article.ContentHash, nil
}

func (r *recordingTx) Candidates(context.Context, []uint64, int) ([]dedup.Candidate, error) {
	if r.stored.Article.Text == "" {
		return nil, nil
	}
	return []dedup.Candidate{{ArticleID: 1, Sketch: r.stored.Print.Sketch, Words: r.stored.Print.Words, Shared: 1}}, nil
}

func (r *recordingTx) StoredText(context.Context, int64) (string, error) {
	return r.stored.Article.Text, nil
}

func (r *recordingTx) InsertArticle(_ context.Context, s Sighting) (int64, error) {
	r.writes = append(r.writes, fmt.Sprintf("insert url_key=%q", s.Article.CanonicalURL))
	return 2, nil
}

func (r *recordingTx) AddSource(_ context.Context, id int64, _ Sighting, reason policy.Reason, _ float64, represents bool) error {
	r.writes = append(r.writes, fmt.Sprintf("source %d %s represents=%v", id, reason, represents))
	return nil
}

func (r *recordingTx) Represent(_ context.Context, id int64, _ Sighting) error {
	r.writes = append(r.writes, fmt.Sprintf("represent %d", id))
	return nil
}

// copyAt is a sighting of text fetched from url.
func copyAt(url, text string) Sighting {
	_, hash, fp := policy.TextKeys(text)
	return Sighting{FeedID: 1, ItemKey: url, ItemURL: url,
		Article: ArticleData{URL: url, CanonicalURL: url, Text: text, ContentHash: hash}, Print: fp}
}

func paragraphs(topic string, n int) string {
	var ps []string
	for i := range n {
		ps = append(ps, fmt.Sprintf("Paragraph %d: officials in Gothenburg said the %s would go on, and union delegate Jonas Berg told reporters the %s had support in every harbour.", i, topic, topic))
	}
	return strings.Join(ps, "\n\n")
}

// TestDecideWritesThePolicysDecision: Decide writes exactly what the
// policy decided, in one order, and nothing for an item already seen.
func TestDecideWritesThePolicysDecision(t *testing.T) {
	story := paragraphs("strike", 8)
	trimmed := paragraphs("strike", 4)
	recipe := strings.Repeat("Whisk eggs with sugar until pale, fold in flour and lemon zest, then bake the cake for forty minutes in a moderate oven.\n\n", 5)
	tests := []struct {
		name   string
		tx     recordingTx
		s      Sighting
		writes []string
		out    Outcome
	}{
		{"already seen writes nothing", recordingTx{seen: true}, copyAt("http://a.test/1", story), nil, Outcome{AlreadySeen: true}},
		{"new article marks its page", recordingTx{}, copyAt("http://a.test/1", story),
			[]string{`insert url_key="http://a.test/1"`, "source 2 first represents=true"},
			Outcome{ArticleID: 2, Reason: policy.First, Similarity: 1}},
		{"a copy is a sighting", recordingTx{stored: copyAt("http://a.test/1", story)}, copyAt("http://b.test/1", story),
			[]string{"source 1 same_hash represents=false"}, Outcome{ArticleID: 1, Reason: policy.SameHash, Similarity: 1}},
		{"a fuller copy's page replaces the article's", recordingTx{stored: copyAt("http://a.test/1", trimmed)}, copyAt("http://b.test/1", story),
			[]string{"represent 1", "source 1 near_duplicate represents=true"},
			Outcome{ArticleID: 1, Reason: policy.NearDuplicate, Similarity: 1, Upgraded: true}},
		{"a URL key held by an old claim is not taken", recordingTx{stored: copyAt("http://b.test/x", recipe),
			storedUnder: "http://a.test/1", storedURL: "http://b.test/x"}, copyAt("http://a.test/1", story),
			[]string{`insert url_key=""`, "source 2 first represents=true"},
			Outcome{ArticleID: 2, Reason: policy.First, Similarity: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx := tc.tx
			out, err := Decide(context.Background(), &tx, tc.s)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(tx.writes) != fmt.Sprint(tc.writes) || out != tc.out {
				t.Errorf("Decide wrote %q and said %+v; want %q and %+v", tx.writes, out, tc.writes, tc.out)
			}
		})
	}
}
