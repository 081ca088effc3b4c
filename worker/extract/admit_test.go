package extract

import (
	"errors"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/htmlparse"
)

// countingRoom records what a parse asked of the room it was admitted.
type countingRoom struct {
	nodes    int
	released *int
}

func (r *countingRoom) Grow(nodes int) bool { r.nodes = max(r.nodes, nodes); return true }
func (r *countingRoom) Release()            { *r.released++ }

func TestExtractParsesInTheRoomAdmitted(t *testing.T) {
	page := []byte("<html><body><article>" + strings.Repeat("<p>A sentence of the story, long enough to be prose, and then some more words.</p>", 20) + "</article></body></html>")
	var nodes, size, released int
	o := Options{Admit: func(n, s int) (htmlparse.Room, error) {
		nodes, size = n, s
		return &countingRoom{nodes: n, released: &released}, nil
	}}
	if _, err := Extract(page, o); err != nil {
		t.Fatal(err)
	}
	if nodes < 40 || size == 0 || released != 1 {
		t.Fatalf("admitted %d nodes, %d bytes, released %d times; want room for the page's 40-odd nodes, released once", nodes, size, released)
	}

	refused := errors.New("no room")
	o.Admit = func(int, int) (htmlparse.Room, error) { return nil, refused }
	if _, err := Extract(page, o); !errors.Is(err, refused) {
		t.Fatalf("Extract with a refusing Admit = %v, want its error", err)
	}

	released = 0
	o.Admit = func(n, _ int) (htmlparse.Room, error) { return &countingRoom{nodes: n, released: &released}, nil }
	bomb := []byte(strings.Repeat("<p><i>x", 100_000))
	if _, err := Extract(bomb, o); !errors.Is(err, htmlparse.ErrTooComplex) || released != 1 {
		t.Fatalf("Extract of reopened formatting = %v (rooms released: %d), want htmlparse.ErrTooComplex and its room released", err, released)
	}
}

func TestFeedContentParsesInTheRoomAdmitted(t *testing.T) {
	released := 0
	admit := func(n, _ int) (htmlparse.Room, error) { return &countingRoom{nodes: n, released: &released}, nil }
	if text, err := FromFeedContent("<p>One.</p><p>Two.</p>", admit); err != nil || text != "One.\n\nTwo." || released != 1 {
		t.Fatalf("FromFeedContent = %q, %v (released %d times), want the text, released once", text, err, released)
	}
	if _, err := FromFeedContent(strings.Repeat("<p><i>x", 100_000), admit); !errors.Is(err, htmlparse.ErrTooComplex) {
		t.Fatalf("FromFeedContent of reopened formatting = %v, want htmlparse.ErrTooComplex", err)
	}
}
