package furniture

import (
	"fmt"
	"testing"
)

func TestLearnerFindsRecurringParagraphs(t *testing.T) {
	promo := "Never miss the latest news by signing up to our newsletter today!"
	var l Learner
	for i := range 4 {
		l.Observe("news.example", []string{
			fmt.Sprintf("Story %d: the council met on day %d and decided about the bridge.", i, i),
			promo, promo, // counted once per page
			"  never miss the latest NEWS by signing up to our newsletter today! ",
		})
	}
	l.Observe("other.example", []string{promo})
	tests := []struct {
		host, para string
		seen       int
		furniture  bool
	}{
		{"news.example", promo, 4, true},
		{"news.example", "NEVER miss the latest news by signing up to our newsletter today!", 4, true},
		{"news.example", "Story 1: the council met on day 1 and decided about the bridge.", 1, false},
		{"other.example", promo, 1, false},
		{"unknown.example", promo, 0, false},
		{"news.example", "2024", 0, false},
	}
	for _, tt := range tests {
		if got := l.Seen(tt.host, tt.para); got != tt.seen {
			t.Errorf("Seen(%s, %q) = %d, want %d", tt.host, tt.para, got, tt.seen)
		}
		if got := l.IsFurniture(tt.host, tt.para); got != tt.furniture {
			t.Errorf("IsFurniture(%s, %q) = %v, want %v", tt.host, tt.para, got, tt.furniture)
		}
	}
	text := "Story 9: a new story.\n\n" + promo + "\n\nThe end of it."
	if got, want := l.FilterText("news.example", text), "Story 9: a new story.\n\nThe end of it."; got != want {
		t.Errorf("FilterText = %q, want %q", got, want)
	}
}

func TestLearnerKeepsARepeatedStoryWhole(t *testing.T) {
	story := []string{"The council met on Monday.", "It decided to build the bridge.", "Work starts in May."}
	var l Learner
	for range 3 {
		l.Observe("news.example", story)
	}
	if got := l.Filter("news.example", story); len(got) != len(story) {
		t.Errorf("Filter kept %d of %d paragraphs of a story the host carries three times; want it whole", len(got), len(story))
	}
}

func TestLearnerIsBounded(t *testing.T) {
	l := Learner{MaxParagraphs: 10, MaxHosts: 2}
	for i := range 100 {
		l.Observe("a.example", []string{fmt.Sprintf("paragraph number %d of many", i), "Subscribe to our newsletter now"})
	}
	l.Observe("b.example", []string{"x y z"})
	l.Observe("a.example", []string{"Subscribe to our newsletter now"}) // a is now the recent one
	l.Observe("c.example", []string{"x y z"})
	if n := len(l.hosts["a.example"].counts); n > 10 {
		t.Errorf("a.example tracks %d paragraphs, want at most 10", n)
	}
	if !l.IsFurniture("a.example", "Subscribe to our newsletter now") {
		t.Error("the recurring paragraph was forgotten under the bound")
	}
	if len(l.hosts) != 2 {
		t.Errorf("%d hosts tracked, want 2", len(l.hosts))
	}
	if l.Seen("b.example", "x y z") != 0 {
		t.Error("the host observed least recently was kept past the bound")
	}
	if l.Seen("c.example", "x y z") != 1 || !l.IsFurniture("a.example", "Subscribe to our newsletter now") {
		t.Error("a new host past the bound was not learned, or pushed out the recent one")
	}
}

func TestFilterExplainedSaysWhyAndCounts(t *testing.T) {
	promo := "Never miss the latest news by signing up to our newsletter today!"
	var l Learner
	for i := range 5 {
		l.ObserveText("news.example", fmt.Sprintf("Story %d about the bridge.\n\n%s", i, promo))
	}
	text := "A new story about the dam.\n\nIt opened on Monday.\n\n" + promo
	got, dropped := l.FilterTextExplained("news.example", text)
	if want := "A new story about the dam.\n\nIt opened on Monday."; got != want {
		t.Errorf("FilterTextExplained = %q, want %q", got, want)
	}
	if len(dropped) != 1 || dropped[0].Paragraph != promo || dropped[0].Pages != 5 {
		t.Errorf("dropped = %+v, want the promo seen on 5 pages", dropped)
	}
	if n := l.DroppedTotal(); n != 1 {
		t.Errorf("DroppedTotal = %d, want 1", n)
	}
	if got, dropped := l.FilterTextExplained("other.example", text); got != text || dropped != nil {
		t.Errorf("an unknown host's text changed: %q %v", got, dropped)
	}
}
