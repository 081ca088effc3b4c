package article

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// story is n words of one made-up story in paragraphs of 30 words.
func story(seed string, n int) string {
	var b strings.Builder
	for i := range n {
		switch {
		case i == 0:
		case i%30 == 0:
			b.WriteString(".\n\n")
		default:
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s%d", seed, i)
	}
	return b.String() + "."
}

func TestChooseText(t *testing.T) {
	full := story("harbour", 200)
	tests := []struct {
		name, page, feed, want string
	}{
		{"No feed content", full, "", store.TextFromPage},
		{"Neither has words", "", "", store.TextFromPage},
		{"Empty page, feed summary", "", "A short summary of the story.", store.TextFromFeed},
		{"Page of punctuation only, feed summary", "— · —", "A short summary of the story.", store.TextFromFeed},
		{"Feed summary loses to the page", full, story("harbour", 40), store.TextFromPage},
		{"Empty page, full feed", "", full, store.TextFromFeed},
		{"Full feed of another story", full, story("election", 200), store.TextFromPage},
		{"Full feed, same story, as long", full, full, store.TextFromFeed},
		{"Full feed, page longer with template", full + "\n\n" + story("menu", 300), full, store.TextFromFeed},
		{"Teaser cut short, page longer", full + "\n\n" + story("menu", 300), story("harbour", 120) + " …", store.TextFromPage},
		{"One-paragraph feed, page longer", full + "\n\n" + story("menu", 300), strings.ReplaceAll(story("harbour", 120), "\n\n", " "), store.TextFromPage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, source := chooseText(tt.page, tt.feed)
			if source != tt.want {
				t.Fatalf("chooseText: source %s, want %s", source, tt.want)
			}
			if want := map[string]string{store.TextFromPage: tt.page, store.TextFromFeed: tt.feed}[source]; text != want {
				t.Errorf("chooseText: text %.40q..., want the %s's", text, source)
			}
		})
	}
}
