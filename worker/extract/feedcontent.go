package extract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wiresift/wiresift/worker/htmlparse"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FromFeedContent cleans a feed item's HTML content (content:encoded, Atom
// content) into the same text form as Result.Text. Feed content is the
// article by definition, so no detection runs; only invisible elements,
// furniture and link-only blocks are left out. The content is parsed
// within htmlparse.Default and the room admit makes, as a page is; the
// error is the parse's or admit's (htmlparse.ErrTooComplex for content
// whose tree would outgrow it).
func FromFeedContent(s string, admit htmlparse.Admit) (string, error) {
	if strings.Trim(s, htmlSpace) == "" {
		// Most items carry no content at all; the analysis would still
		// allocate its tables.
		return "", nil
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	clean := sanitize([]byte(s))
	var nodes []*html.Node
	release, err := htmlparse.Default.Within(len(clean), admit, func(room htmlparse.Room) (err error) {
		nodes, err = htmlparse.Default.ParseFragment(clean, ctx, room)
		if errors.Is(err, htmlparse.ErrTooDeep) {
			// Too deeply nested for the parser: see flatten.
			nodes, err = htmlparse.Default.ParseFragment(flatten(clean), ctx, room)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("extract: parse feed content: %w", err)
	}
	defer release()
	for _, n := range nodes {
		ctx.AppendChild(n)
	}
	p := analyse(ctx)
	defer p.release()
	// A copy: the text may be cut from the content's string, which the
	// tree shares (see Result.own).
	return strings.Clone(p.render(0, p.inheritBoiler())), nil
}

// htmlSpace is what HTML counts as white space between tags.
const htmlSpace = " \t\n\f\r"
