package crashtest

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"
)

// Story is one generated news story: its title and body paragraphs.
type Story struct {
	Title      string
	Paragraphs []string
}

// Item is one feed entry: the path of the page it links to and the story
// that page carries. Several items on different sites may carry one story,
// as syndicated wire copy does.
type Item struct {
	Path  string
	Story int
}

// Corpus is a generated set of sites, each with one RSS feed. Every story
// is published on one site; every fifth is also republished, word for word
// in another site's template, on the next two sites.
type Corpus struct {
	Stories []Story
	Feeds   [][]Item // Feeds[i] is site i's feed, newest first
}

// NewCorpus generates sites feeds carrying stories stories in all, from seed.
func NewCorpus(seed uint64, sites, stories int) *Corpus {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	c := &Corpus{Feeds: make([][]Item, sites)}
	for k := range stories {
		c.Stories = append(c.Stories, newStory(rng, k))
		home := k % sites
		c.addItem(home, k)
		if k%5 == 0 && sites > 2 {
			c.addItem((home+1)%sites, k)
			c.addItem((home+2)%sites, k)
		}
	}
	return c
}

func (c *Corpus) addItem(site, story int) {
	path := fmt.Sprintf("/site%d/news/%d-story.html", site, story)
	c.Feeds[site] = append(c.Feeds[site], Item{Path: path, Story: story})
}

// FeedPath is the path of site i's feed.
func FeedPath(site int) string { return fmt.Sprintf("/site%d/feed.xml", site) }

// ItemPaths lists the path of every feed item, copies included.
func (c *Corpus) ItemPaths() []string {
	var paths []string
	for _, feed := range c.Feeds {
		for _, it := range feed {
			paths = append(paths, it.Path)
		}
	}
	return paths
}

// StoryAt returns the story the page at path carries.
func (c *Corpus) StoryAt(path string) (Story, bool) {
	for _, feed := range c.Feeds {
		for _, it := range feed {
			if it.Path == path {
				return c.Stories[it.Story], true
			}
		}
	}
	return Story{}, false
}

// Feed renders site i's feed as RSS 2.0 with absolute links under base.
func (c *Corpus) Feed(site int, base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Site %d</title><link>%s/site%d/</link><description>News from site %d</description>
`, site, base, site, site)
	epoch := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for _, it := range c.Feeds[site] {
		s := c.Stories[it.Story]
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s%s</link><guid>%s%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			html.EscapeString(s.Title), base, it.Path, base, it.Path,
			epoch.Add(-time.Duration(it.Story)*time.Hour).Format(time.RFC1123Z),
			html.EscapeString(s.Paragraphs[0]))
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// Page renders the page at path in its site's template: the article markup
// is the same on every site, the chrome around it is not.
func (c *Corpus) Page(path string) (string, bool) {
	var site, story int
	if _, err := fmt.Sscanf(path, "/site%d/news/%d-story.html", &site, &story); err != nil || story < 0 || story >= len(c.Stories) {
		return "", false
	}
	s := c.Stories[story]
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s | Site %d</title></head><body class="theme-%d">
<header class="masthead-%d"><a href="/site%d/">Site %d</a><nav><ul><li><a href="/site%d/world">World</a></li><li><a href="/site%d/business">Business</a></li><li><a href="/site%d/sport">Sport</a></li></ul></nav></header>
<main><article><h1>%s</h1>
`, html.EscapeString(s.Title), site, site, site, site, site, site, site, site, html.EscapeString(s.Title))
	for _, p := range s.Paragraphs {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	fmt.Fprintf(&b, `</article></main>
<aside class="rail-%d"><h3>Most read</h3><ul><li><a href="/site%d/news/1-story.html">More</a></li></ul></aside>
<footer><p>Site %d, all rights reserved.</p><a href="/site%d/privacy">Privacy</a></footer></body></html>
`, site, site, site, site)
	return b.String(), true
}
