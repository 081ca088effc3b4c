package extract

import (
	"runtime"
	"strings"
	"testing"
)

// liveAfter is the heap in use, after collection, while keep is held.
func liveAfter(keep func()) uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC() // and the pools' victims
	runtime.ReadMemStats(&m)
	keep()
	return m.HeapAlloc
}

// TestResultsDoNotHoldThePage: the parser cuts the tree's strings from one
// string of the page, so a result made of them would keep the whole page
// alive; Extract's and FromFeedContent's results hold only their own text.
func TestResultsDoNotHoldThePage(t *testing.T) {
	const padding = 512 << 10
	before := liveAfter(func() {})
	// The pages are made, and let go of, inside extract.
	extract := func() (*Result, string) {
		body := `<p>` + strings.Repeat("Words of the article, one after the other. ", 20) + `</p>`
		page := `<html><head><title>The title</title><meta name="author" content="Ann Author">` +
			`<meta name="description" content="What the article says."><meta property="og:site_name" content="The Site">` +
			`</head><body><div data-x="` + strings.Repeat("x", padding) + `"></div><article>` + body + `</article></body></html>`
		r, err := Extract([]byte(page), Options{})
		if err != nil {
			t.Fatal(err)
		}
		text, err := FromFeedContent(`<div data-x="`+strings.Repeat("y", padding)+`"></div>`+body, nil)
		if err != nil || text == "" {
			t.Fatalf("FromFeedContent = %q, %v", text, err)
		}
		return r, text
	}
	r, text := extract()
	held := liveAfter(func() { runtime.KeepAlive(r); runtime.KeepAlive(text) })
	if r.Title != "The title" || r.Description == "" || r.Text == "" {
		t.Fatalf("Extract = %+v", r)
	}
	if grown := int64(held) - int64(before); grown > padding/2 {
		t.Fatalf("the results hold %d kB of heap, want their text only (the pages had %d kB of padding)", grown>>10, padding>>10)
	}
}
