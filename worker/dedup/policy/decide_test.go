package policy

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/dedup"
)

// fakeIndex is an archive in memory: articles by id with their URL key and
// text, and the items each feed had.
type fakeIndex struct {
	articles map[int64]fakeArticle
	items    map[string]bool // feed id + item key
}

type fakeArticle struct {
	url, urlKey, text string
}

func (f *fakeIndex) SourceExists(_ context.Context, feedID int64, key string) (bool, error) {
	return f.items[fmt.Sprint(feedID, "/", key)], nil
}

func (f *fakeIndex) ArticleByURL(_ context.Context, key string) (Stored, bool, error) {
	for id, a := range f.articles {
		if a.urlKey == key {
			fp := dedup.Make(a.text)
			return Stored{ID: id, URL: a.url, URLKey: a.urlKey, Sketch: fp.Sketch, Words: fp.Words}, true, nil
		}
	}
	return Stored{}, false, nil
}

func (f *fakeIndex) ArticleByHash(_ context.Context, hash string) (int64, bool, error) {
	for id, a := range f.articles {
		if _, h, _ := TextKeys(a.text); h == hash {
			return id, true, nil
		}
	}
	return 0, false, nil
}

// Candidates returns every article: Best does the verifying.
func (f *fakeIndex) Candidates(_ context.Context, _ []uint64, limit int) ([]dedup.Candidate, error) {
	var out []dedup.Candidate
	for id, a := range f.articles {
		fp := dedup.Make(a.text)
		out = append(out, dedup.Candidate{ArticleID: id, Sketch: fp.Sketch, Words: fp.Words, Shared: 1})
	}
	return out[:min(len(out), limit)], nil
}

func (f *fakeIndex) StoredText(_ context.Context, id int64) (string, error) {
	return f.articles[id].text, nil
}

// storyText is a made-up story of n paragraphs about topic, every sentence
// naming its people and places, as a real story's later paragraphs do.
func storyText(topic string, n int) string {
	var paras []string
	for p := range n {
		paras = append(paras, fmt.Sprintf(
			"Paragraph %d on the %s: harbour authority chief Maria Lindqvist told reporters in Gothenburg that the %s affected shipping lane %d, "+
				"while union delegate Jonas Berg said dockworkers in Gothenburg would meet again on day %d to discuss the %s and the harbour authority offer.",
			p+1, topic, topic, p*7+3, p+2, topic))
	}
	return strings.Join(paras, "\n\n")
}

// weatherText is another story, told in other words.
func weatherText(n int) string {
	var paras []string
	for p := range n {
		paras = append(paras, fmt.Sprintf(
			"Forecasters at the national weather office expect storm front %d to bring heavy rain over the northern valleys, "+
				"with rivers near Uppsala likely to rise %d centimetres before the weekend and farmers urged to move livestock.",
			p+1, 10+p*4))
	}
	return strings.Join(paras, "\n\n")
}

// otherText is text about something else entirely.
func otherText(n int) string {
	var paras []string
	for p := range n {
		paras = append(paras, fmt.Sprintf(
			"Recipe note %d: whisk eggs with butter and sugar until pale, fold flour gently into batter, then bake cakes for %d minutes until golden on every edge.",
			p+1, 20+p))
	}
	return strings.Join(paras, "\n\n")
}

func copyOf(feed int64, item, own, claimed, text string) Copy {
	norm, hash, fp := TextKeys(text)
	return Copy{Keys: Keys{FeedID: feed, ItemKey: item, URL: own, ClaimedURL: claimed, Hash: hash, Print: fp}, Text: norm}
}

func TestDecide(t *testing.T) {
	story := storyText("port strike", 8)
	paras := strings.Split(story, "\n\n")
	trimmed := strings.Join(paras[:5], "\n\n")
	padded := story + "\n\n" + otherText(3)
	inserted := strings.Join(paras[:2], "\n\n") + "\n\n" + otherText(3) + "\n\n" + strings.Join(paras[2:], "\n\n")
	unrelated := weatherText(8)
	insertedSim := func() float64 {
		fp, old := dedup.Make(inserted), dedup.Make(story)
		m, _ := dedup.Best(fp, []dedup.Candidate{{ArticleID: 7, Sketch: old.Sketch, Words: old.Words}})
		return m.Similarity
	}()

	stored := func(url, key, text string) map[int64]fakeArticle {
		return map[int64]fakeArticle{7: {url: url, urlKey: key, text: text}}
	}
	tests := []struct {
		name     string
		articles map[int64]fakeArticle
		items    map[string]bool
		copy     Copy
		exclude  int64
		want     Decision
	}{
		{"item already seen", stored("https://a.example/1", "https://a.example/1", story),
			map[string]bool{"3/guid-1": true}, copyOf(3, "guid-1", "https://b.example/x", "", unrelated), 0,
			Decision{AlreadySeen: true}},
		{"empty archive: first", nil, nil, copyOf(3, "g", "https://a.example/1", "", story), 0,
			Decision{Reason: First, Similarity: 1}},
		{"same address folds whatever the text", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(3, "g", "https://a.example/1", "", unrelated), 0,
			Decision{ArticleID: 7, Reason: SameURL, Similarity: 1}},
		{"claim borne out by the text folds", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(3, "g", "https://b.example/copy", "https://a.example/1", story), 0,
			Decision{ArticleID: 7, Reason: SameURL, Similarity: 1}},
		{"claim the text denies: a new article (canonical hijack)", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(3, "g", "https://b.example/lie", "https://a.example/1", unrelated), 0,
			Decision{Reason: First, Similarity: 1}},
		{"stored claim (older archive) does not hide the owner's page", stored("https://b.example/lie", "https://a.example/1", unrelated), nil,
			copyOf(3, "g", "https://a.example/1", "", story), 0,
			Decision{Reason: First, Similarity: 1, URLTaken: true}},
		{"same hash", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(3, "g", "https://b.example/2", "", story), 0,
			Decision{ArticleID: 7, Reason: SameHash, Similarity: 1}},
		{"fuller copy represents a trimmed one", stored("https://a.example/1", "https://a.example/1", trimmed), nil,
			copyOf(3, "g", "https://b.example/2", "", story), 0,
			Decision{ArticleID: 7, Reason: NearDuplicate, Similarity: 1, Represent: true}},
		{"appended unrelated text does not represent", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(3, "g", "https://b.example/2", "", padded), 0,
			Decision{ArticleID: 7, Reason: NearDuplicate, Similarity: 1}},
		{"inserted unrelated text does not represent", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(3, "g", "https://b.example/2", "", inserted), 0,
			Decision{ArticleID: 7, Reason: NearDuplicate, Similarity: insertedSim}},
		{"trimmed copy of a stored story is a sighting", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(3, "g", "https://b.example/2", "", trimmed), 0,
			Decision{ArticleID: 7, Reason: NearDuplicate, Similarity: 1}},
		{"different story: first", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(3, "g", "https://b.example/2", "", unrelated), 0,
			Decision{Reason: First, Similarity: 1}},
		{"reprocess never finds the article itself", stored("https://a.example/1", "https://a.example/1", story), nil,
			copyOf(0, "", "https://a.example/1", "", story), 7,
			Decision{Reason: First, Similarity: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			idx := &fakeIndex{articles: tc.articles, items: tc.items}
			got, err := Decide(context.Background(), idx, tc.copy, tc.exclude)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if got != tc.want {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestURLKeys(t *testing.T) {
	tests := []struct {
		name, fetched, declared, own, claimed string
	}{
		{"no canonical", "https://a.example/news/1", "", "https://a.example/news/1", ""},
		{"canonical is the page itself", "https://a.example/news/1", "https://a.example/news/1", "https://a.example/news/1", ""},
		{"same-host canonical elsewhere is a claim", "https://a.example/news/1?id=5", "https://a.example/2024/story", "https://a.example/news/1?id=5", "https://a.example/2024/story"},
		{"cross-host canonical is a claim", "https://b.example/copy", "https://a.example/story", "https://b.example/copy", "https://a.example/story"},
		{"front page canonical is no claim", "https://b.example/copy", "https://b.example/", "https://b.example/copy", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			own, claimed := URLKeys(tc.fetched, tc.declared)
			if own != tc.own || claimed != tc.claimed {
				t.Errorf("URLKeys(%q, %q) = %q, %q; want %q, %q", tc.fetched, tc.declared, own, claimed, tc.own, tc.claimed)
			}
		})
	}
}
