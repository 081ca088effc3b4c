package extract

import (
	"errors"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/htmlcost"
)

func TestExtractAdmitsThePageByItsTree(t *testing.T) {
	page := []byte("<html><body><article>" + strings.Repeat("<p>A sentence of the story, long enough to be prose, and then some more words.</p>", 20) + "</article></body></html>")
	var nodes, size, released int
	o := Options{Admit: func(n, s int) (func(), error) {
		nodes, size = n, s
		return func() { released++ }, nil
	}}
	if _, err := Extract(page, o); err != nil {
		t.Fatal(err)
	}
	if nodes < 40 || size == 0 || released != 1 {
		t.Fatalf("admitted %d nodes, %d bytes, released %d times; want the page's 40-odd nodes, once", nodes, size, released)
	}

	refused := errors.New("no room")
	o.Admit = func(int, int) (func(), error) { return nil, refused }
	if _, err := Extract(page, o); !errors.Is(err, refused) {
		t.Fatalf("Extract with a refusing Admit = %v, want its error", err)
	}

	called := false
	o.Admit = func(int, int) (func(), error) { called = true; return func() {}, nil }
	bomb := []byte(strings.Repeat("<p><i>x", 100_000))
	if _, err := Extract(bomb, o); !errors.Is(err, htmlcost.ErrTooComplex) || called {
		t.Fatalf("Extract of reopened formatting = %v (admitted: %v), want htmlcost.ErrTooComplex before any admission", err, called)
	}
}
