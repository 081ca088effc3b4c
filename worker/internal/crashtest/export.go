package crashtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wiresift/wiresift/worker/store"
)

// ReadExport decodes `wiresift export` output, one article a line.
func ReadExport(r io.Reader) ([]store.Article, error) {
	var arts []store.Article
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var a store.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("crashtest: export line %d is not an article: %w", n, err)
		}
		arts = append(arts, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("crashtest: read export: %w", err)
	}
	return arts, nil
}

// Group is what an archive holds about one story, free of ids and times:
// its title, its text and every URL it was seen at, sorted.
type Group struct {
	Title   string
	Text    string
	Sources []string
}

// Groups indexes an export by every source URL, so that two archives filled
// in different orders compare equal when they hold the same stories.
func Groups(arts []store.Article) map[string]Group {
	out := map[string]Group{}
	for _, a := range arts {
		g := Group{Title: a.Title, Text: a.Text}
		for _, s := range a.Sources {
			g.Sources = append(g.Sources, s.URL)
		}
		slices.Sort(g.Sources)
		for _, u := range g.Sources {
			out[u] = g
		}
	}
	return out
}

// DiffGroups lists how got differs from want, one line a URL.
func DiffGroups(want, got map[string]Group) []string {
	var diffs []string
	for u, w := range want {
		g, ok := got[u]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s: want it stored, it is missing", u))
		case g.Text != w.Text:
			diffs = append(diffs, fmt.Sprintf("%s: want text of %d bytes, got %d bytes", u, len(w.Text), len(g.Text)))
		case g.Title != w.Title:
			diffs = append(diffs, fmt.Sprintf("%s: want title %q, got %q", u, w.Title, g.Title))
		case !slices.Equal(g.Sources, w.Sources):
			diffs = append(diffs, fmt.Sprintf("%s: want sources %v, got %v", u, w.Sources, g.Sources))
		}
	}
	for u := range got {
		if _, ok := want[u]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: stored, but not in the clean run", u))
		}
	}
	slices.Sort(diffs)
	return diffs
}

// ArchiveProblems checks an export against the item URLs the feeds listed:
// each must be in exactly one article's sources, and no article URL or
// content hash may be stored twice.
func ArchiveProblems(arts []store.Article, itemURLs []string) []string {
	var problems []string
	seen := map[string]int{}
	urls := map[string]int64{}
	hashes := map[string]int64{}
	for _, a := range arts {
		for _, s := range a.Sources {
			seen[s.URL]++
		}
		if id, dup := urls[a.URL]; dup {
			problems = append(problems, fmt.Sprintf("url %s stored twice: articles %d and %d", a.URL, id, a.ID))
		}
		urls[a.URL] = a.ID
		if id, dup := hashes[a.ContentHash]; dup {
			problems = append(problems, fmt.Sprintf("content hash %s stored twice: articles %d and %d", a.ContentHash, id, a.ID))
		}
		hashes[a.ContentHash] = a.ID
	}
	for _, u := range itemURLs {
		if n := seen[u]; n != 1 {
			problems = append(problems, fmt.Sprintf("item %s: want it in exactly 1 article's sources, found in %d", u, n))
		}
		delete(seen, u)
	}
	for u, n := range seen {
		problems = append(problems, fmt.Sprintf("source %s (%d times) is no item of any feed", u, n))
	}
	slices.Sort(problems)
	return problems
}

// Incomplete lists the articles whose text lacks a paragraph of the story
// their first source carries: a text cut short by a crash.
func Incomplete(c *Corpus, base string, arts []store.Article) []string {
	var out []string
	for _, a := range arts {
		if len(a.Sources) == 0 {
			out = append(out, fmt.Sprintf("article %d has no source", a.ID))
			continue
		}
		st, ok := c.StoryAt(strings.TrimPrefix(a.Sources[0].URL, base))
		if !ok {
			out = append(out, fmt.Sprintf("article %d: source %s is no corpus page", a.ID, a.Sources[0].URL))
			continue
		}
		for i, p := range st.Paragraphs {
			if !strings.Contains(a.Text, p) {
				out = append(out, fmt.Sprintf("article %d (%s): paragraph %d of %d missing from its text", a.ID, a.URL, i+1, len(st.Paragraphs)))
				break
			}
		}
	}
	return out
}
