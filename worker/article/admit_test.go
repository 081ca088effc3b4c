package article

import (
	"context"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/htmlparse"
)

// testRoom is room that always grows; release runs on Release.
type testRoom struct{ release func() }

func (r testRoom) Grow(int) bool { return true }
func (r testRoom) Release()      { r.release() }

func TestFeedContentTooComplexKeepsItsWords(t *testing.T) {
	content := "<p>Opening words of the story.</p>" + strings.Repeat(`<p><i>x`, 200_000)
	got := feedContentText(feed.Item{Content: content}, nil)
	if !strings.HasPrefix(got, "Opening words of the story.") || !strings.Contains(got, "x\n\nx") {
		t.Fatalf("feedContentText = %.80q…, want the words without a tree", got)
	}
}

func TestFeedContentParseIsAdmitted(t *testing.T) {
	content := "<p>Opening words of the story, <b>told</b> in full.</p><p>Second paragraph.</p>"
	admitted, released := 0, 0
	got := feedContentText(feed.Item{Content: content}, func(nodes, size int) (htmlparse.Room, error) {
		admitted = nodes
		return testRoom{func() { released++ }}, nil
	})
	if admitted < 6 || released != 1 || !strings.Contains(got, "Second paragraph.") {
		t.Fatalf("admitted %d nodes, released %d times, text %q; want room for the content admitted once and its text", admitted, released, got)
	}
	got = feedContentText(feed.Item{Content: content}, func(int, int) (htmlparse.Room, error) {
		return nil, context.Canceled
	})
	if !strings.Contains(got, "told in full.") {
		t.Fatalf("content not admitted: text %q, want its words all the same", got)
	}
}

// TestMakerAdmitsEachParse: Make holds the item's content and the page to
// the Maker's budget, each released once, with the context it was given;
// a page refused admission falls back to the feed's text and says why.
func TestMakerAdmitsEachParse(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "pass")
	var sizes []int
	held := 0
	m := &Maker{Fetcher: pageFetcher{t}, Admit: func(c context.Context, nodes, size int) (htmlparse.Room, error) {
		if c.Value(key{}) != "pass" {
			t.Errorf("Admit got another context than Make's")
		}
		sizes = append(sizes, size)
		held++
		return testRoom{func() { held-- }}, nil
	}}
	it := feed.Item{Link: "http://site.test/page.html", Content: "<p>The feed's summary of the strike.</p>"}
	art, _, n := m.Make(ctx, it)
	if art.FetchError != "" || n == 0 {
		t.Fatalf("Make: fetch error %q, %d bytes; want the page used", art.FetchError, n)
	}
	if len(sizes) != 2 || sizes[0] != len(it.Content) || held != 0 {
		t.Fatalf("admitted sizes %v, %d still held; want the content (%d bytes) then the page, all released", sizes, held, len(it.Content))
	}

	refusing := &Maker{Fetcher: pageFetcher{t}, Admit: func(_ context.Context, nodes, size int) (htmlparse.Room, error) {
		if size == len(it.Content) {
			return testRoom{func() {}}, nil
		}
		return nil, context.DeadlineExceeded
	}}
	art, _, _ = refusing.Make(ctx, it)
	if !strings.Contains(art.FetchError, "deadline exceeded") || !strings.Contains(art.Text, "summary of the strike") {
		t.Fatalf("page not admitted: fetch error %q, text %q; want the reason and the feed's text", art.FetchError, art.Text)
	}
}
