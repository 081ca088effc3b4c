package extract

import (
	"errors"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestCleanTitle(t *testing.T) {
	tests := []struct {
		name, title, site string
		h1s               []string
		want              string
	}{
		{"site suffix by name", "Rates rise again | The Ledger", "The Ledger", nil, "Rates rise again"},
		{"site prefix by name", "The Ledger - Rates rise again in spring", "The Ledger", nil, "Rates rise again in spring"},
		{"h1 picks the part", "Rates rise again – Business – Ledger", "", []string{"Rates rise again"}, "Rates rise again"},
		{"short suffix without site name", "Storm hits the coast overnight - Example News", "", nil, "Storm hits the coast overnight"},
		{"no separator", "A plain headline", "Site", nil, "A plain headline"},
		{"hyphen inside headline kept", "Covid-19 cases fall in the north", "", nil, "Covid-19 cases fall in the north"},
		{"site name in an h1 too", "Rates rise again in spring - The Ledger News", "", []string{"The Ledger News", "Rates rise again in spring"}, "Rates rise again in spring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanTitle(tt.title, tt.site, tt.h1s); got != tt.want {
				t.Errorf("cleanTitle(%q, %q) = %q, want %q", tt.title, tt.site, got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string // want "" means not a date
	}{
		{"2020-12-04T09:12:31+05:30", "2020-12-04T09:12:31+05:30"},
		{"2020-12-04T09:12:31.123Z", "2020-12-04T09:12:31Z"},
		{"2020-12-04", "2020-12-04T00:00:00Z"},
		{"2020-12-04 09:12:31", "2020-12-04T09:12:31Z"},
		{"2020-12-04 09:12", "2020-12-04T09:12:00Z"},
		{"Fri, 04 Dec 2020 09:12:31 +0000", "2020-12-04T09:12:31Z"},
		{"yesterday", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("parseDate(%q) = %v, want no date", tt.in, got)
			}
			continue
		}
		if !ok || got.Format("2006-01-02T15:04:05Z07:00") != tt.want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
}

func TestMeasure(t *testing.T) {
	tests := []struct {
		in        string
		wantLen   int
		wantPunct int
	}{
		{"", 0, 0},
		{"  \n\t ", 0, 0},
		{"Hello, world.", 13, 2},
		{"a   b", 3, 0},
		{"Grüße!", 6, 1},
		{" a;b:c?d \r\f e\u00a0f ", 12, 3},
		{"日本語の文章も、ここに。", 12, 2},
		{"\xff x", 3, 0},
	}
	for _, tt := range tests {
		l, p := measure(tt.in)
		if l != tt.wantLen || p != tt.wantPunct {
			t.Errorf("measure(%q) = %d, %d; want %d, %d", tt.in, l, p, tt.wantLen, tt.wantPunct)
		}
	}
}

func TestClassHints(t *testing.T) {
	tests := []struct {
		class string
		want  int
	}{
		{"entry-content", 1},
		{"related-posts", -1},
		{"post-comments", -1},
		{"commentary opinion-piece", 0},
		{"ad", -1},
		{"header-lead", 0},
		{"social-share-bar", -1},
		{"article-body", 1},
		{"ArticleBody main", 1},
		{"main-sidebar", -1},
		{"seo-description", -1},
		{"seoul-report", 0},
		{"COMMENTARY", 0},
		{"x", 0},
		{"", 0},
	}
	for _, tt := range tests {
		n := mustFirstElement(t, `<div class="`+tt.class+`"></div>`)
		hints := hintCache{}
		if got, _ := hints.classHint(n, hints.flags(attr(n, "class")), attr(n, "id")); got != tt.want {
			t.Errorf("classHint(class=%q) = %d, want %d", tt.class, got, tt.want)
		}
	}
}

func TestIsHidden(t *testing.T) {
	tests := []struct {
		html string
		want bool
	}{
		{`<div hidden></div>`, true},
		{`<div style="display: none"></div>`, true},
		{`<div style="VISIBILITY:hidden"></div>`, true},
		{`<div aria-hidden="true"></div>`, true},
		{`<div style="display:block"></div>`, false},
		{`<div></div>`, false},
	}
	for _, tt := range tests {
		if got := isHidden(mustFirstElement(t, tt.html)); got != tt.want {
			t.Errorf("isHidden(%s) = %v, want %v", tt.html, got, tt.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\x00b", "ab"},
		{"caf\xe9", "caf"},
		{"ok ü", "ok ü"},
	}
	for _, tt := range tests {
		if got := string(sanitize([]byte(tt.in))); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// article wraps body paragraphs in a page with the usual furniture around.
func article(inner string) string {
	return `<html><head><title>T</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>` + inner + `</article></main>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Another story about something</a></li><li><a href="/b">Yet another story here</a></li></ul></aside>
<footer><p>All rights reserved © 2024 Example Media</p></footer></body></html>`
}

const prose1 = "The council voted on Tuesday to extend the tram line, a decision that had been debated for years."
const prose2 = "Officials said construction would start next spring, and that the line would open two years later."

func TestExtractRemovesFurnitureInsideArticle(t *testing.T) {
	tests := []struct {
		name, inner string
		want        []string
		notWant     []string
	}{
		{
			"share bar", `<div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a></div><p>` + prose1 + `</p><p>` + prose2 + `</p>`,
			[]string{prose1, prose2}, []string{"Facebook"},
		},
		{
			"related links list", `<p>` + prose1 + `</p><p>` + prose2 + `</p><div><h2>More on this</h2><ul><li><a href="/1">First related headline here</a></li><li><a href="/2">Second related headline</a></li><li><a href="/3">Third related headline</a></li></ul></div>`,
			[]string{prose1, prose2}, []string{"related headline", "More on this"},
		},
		{
			"newsletter form", `<p>` + prose1 + `</p><form action="/subscribe"><label>Get our newsletter every morning</label><input type="email"><button>Sign up</button></form><p>` + prose2 + `</p>`,
			[]string{prose1, prose2}, []string{"newsletter", "Sign up"},
		},
		{
			"comment section", `<p>` + prose1 + `</p><p>` + prose2 + `</p><div id="comments"><h3>Leave a Reply</h3><p>You must be logged in to post a comment.</p></div>`,
			[]string{prose1, prose2}, []string{"Leave a Reply", "logged in"},
		},
		{
			"hidden notice", `<p>` + prose1 + `</p><div style="display:none">error: Content is protected</div><p>` + prose2 + `</p>`,
			[]string{prose1, prose2}, []string{"protected"},
		},
		{
			"headings lists quotes and tables kept", `<p>` + prose1 + `</p><h2>What comes next</h2><ul><li>A new depot, built near the river.</li></ul><blockquote>It is a good day for the city, the mayor said.</blockquote><table><tr><td>Stops</td><td>12</td></tr></table><p>` + prose2 + `</p>`,
			[]string{prose1, "What comes next", "A new depot, built near the river.", "It is a good day for the city", "Stops 12", prose2}, nil,
		},
		{
			"inline links kept", `<p>The council <a href="/council">voted on Tuesday</a> to extend the tram line, a decision debated for years.</p><p>` + prose2 + `</p>`,
			[]string{"The council voted on Tuesday to extend"}, nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract([]byte(article(tt.inner)), Options{})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.Text, w) {
					t.Errorf("text lacks %q; got:\n%s", w, res.Text)
				}
			}
			for _, nw := range append(tt.notWant, "Most read", "All rights reserved", "Home") {
				if strings.Contains(res.Text, nw) {
					t.Errorf("text keeps furniture %q; got:\n%s", nw, res.Text)
				}
			}
		})
	}
}

func TestExtractParagraphsAndNoDuplicates(t *testing.T) {
	page := article(`<p>` + prose1 + `</p><p>` + prose2 + `</p><p>` + prose2 + `</p>`)
	res, err := Extract([]byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := prose1 + "\n\n" + prose2
	if res.Text != want {
		t.Errorf("got text %q, want %q", res.Text, want)
	}
}

func TestExtractNoContent(t *testing.T) {
	res, err := Extract([]byte(`<html><head><title>Empty</title></head><body><nav><a href="/">Home</a></nav></body></html>`), Options{})
	if !errors.Is(err, ErrNoContent) {
		t.Errorf("got error %v, want ErrNoContent", err)
	}
	if res == nil || res.Title != "Empty" {
		t.Errorf("got %+v, want metadata with title Empty", res)
	}
}

func TestMetadata(t *testing.T) {
	page := `<html lang="fr"><head>
<title>La pluie revient | Le Journal</title>
<meta property="og:site_name" content="Le Journal">
<meta name="author" content="Marie Dupont">
<meta property="article:published_time" content="2021-03-02T08:00:00+01:00">
<meta name="description" content="Il va pleuvoir.">
<link rel="canonical" href="/meteo/pluie">
</head><body><h1>La pluie revient</h1><p>` + prose1 + `</p></body></html>`
	u, _ := url.Parse("https://www.journal.example/meteo/pluie?utm_source=rss")
	res, err := Extract([]byte(page), Options{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{res.Title, res.SiteName, res.Author, res.Language, res.CanonicalURL, res.Description}
	want := []string{"La pluie revient", "Le Journal", "Marie Dupont", "fr", "https://www.journal.example/meteo/pluie", "Il va pleuvoir."}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: got %q, want %q", i, got[i], want[i])
		}
	}
	if res.Published == nil || res.Published.UTC().Format("2006-01-02T15:04") != "2021-03-02T07:00" {
		t.Errorf("got published %v, want 2021-03-02 07:00 UTC", res.Published)
	}
	if strings.Contains(res.Text, "La pluie revient") {
		t.Errorf("the headline is metadata, not body; got text %q", res.Text)
	}
}

func TestFromFeedContent(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>First paragraph.</p><p>Second <b>bold</b> one.</p>", "First paragraph.\n\nSecond bold one."},
		{"br breaks", "Line one.<br><br>Line two.", "Line one.\n\nLine two."},
		{"script dropped", "<p>Text.</p><script>alert(1)</script>", "Text."},
		{"plain text", "Just text", "Just text"},
		{"empty", "", ""},
		{"white space only", " \n\t\r\f ", ""},
	}
	for _, tt := range tests {
		if got, err := FromFeedContent(tt.in, nil); err != nil || got != tt.want {
			t.Errorf("%s: FromFeedContent(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
	// Most feed items have no content: that must cost nothing.
	if n := testing.AllocsPerRun(10, func() { FromFeedContent(" \n", nil) }); n != 0 {
		t.Errorf("FromFeedContent of white space: %v allocations, want 0", n)
	}
}

func TestRules(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rules.json")
	rules := `{"example.com": {"keep": [".story"], "drop": [".story .promo"]}, "other.org": {"drop": ["#lead-junk"]}}`
	if err := os.WriteFile(path, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRules(path)
	if err != nil {
		t.Fatalf("LoadRules: %v", err)
	}
	page := `<html><body><div class="story"><p>Kept text, short.</p><p class="promo">Buy now</p></div><div class="other"><p>` + prose1 + `</p></div></body></html>`
	tests := []struct {
		host        string
		want, wantN string
	}{
		{"www.example.com", "Kept text, short.", "Buy now"},
		{"news.example.com", "Kept text, short.", "Buy now"},
		{"unrelated.net", prose1, ""},
	}
	for _, tt := range tests {
		u, _ := url.Parse("https://" + tt.host + "/x")
		res, err := Extract([]byte(page), Options{URL: u, Rules: r})
		if err != nil {
			t.Fatalf("%s: %v", tt.host, err)
		}
		if !strings.Contains(res.Text, tt.want) || tt.wantN != "" && strings.Contains(res.Text, tt.wantN) {
			t.Errorf("%s: got text %q, want it to hold %q and not %q", tt.host, res.Text, tt.want, tt.wantN)
		}
	}
	if _, err := ParseRules([]byte(`{"x.com": {"drop": ["[[["]}}`)); err == nil {
		t.Error("ParseRules accepted a bad selector, want an error")
	}
	if _, err := LoadRules(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("LoadRules accepted a missing file, want an error")
	}
}

func TestExtractKeepsStandfirstOutsideBody(t *testing.T) {
	page := `<html><body><article>
<header><h1>Tram line to be extended</h1>
<p class="standfirst">The city will extend its tram line to the airport, the council decided after years of debate.</p>
<div class="byline">By A. Writer</div><div class="share"><a href="#">Share</a></div>
<div>` + strings.Repeat(`<a href="/tags/x">A topic page with a long name</a> `, 15) + `</div></header>
<div class="body"><p>` + prose1 + `</p><p>` + prose2 + `</p><p>` + prose1 + ` Again.</p></div>
</article></body></html>`
	res, err := Extract([]byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "The city will extend its tram line to the airport, the council decided after years of debate.\n\n" + prose1
	if !strings.HasPrefix(res.Text, want) {
		t.Errorf("got text starting %q, want it to start with the standfirst then the body: %q", res.Text[:min(len(res.Text), 120)], want)
	}
	if strings.Contains(res.Text, "A. Writer") || strings.Contains(res.Text, "Share") {
		t.Errorf("byline or share bar kept: %q", res.Text)
	}
}

func TestTrimTail(t *testing.T) {
	p := func(text string) paragraph { return paragraph{text: text, block: -1} }
	b := func(text string, block int) paragraph { return paragraph{text: text, block: block} }
	row := func(text string) paragraph { return paragraph{text: text, tag: atom.Tr, block: -1} }
	tests := []struct {
		name string
		in   []paragraph
		want int // paragraphs kept
	}{
		{"sentence kept", []paragraph{p(prose1), p("It ends here.")}, 2},
		{"date line dropped", []paragraph{p(prose1), p("Updated: 03.04.2020, 12:35")}, 1},
		{"several labels dropped", []paragraph{p(prose1), p("Related topics"), p("Permalink https://x.example/p/1")}, 1},
		{"long closing line kept", []paragraph{p(prose1), p(strings.Repeat("word ", 30))}, 2},
		{"list item kept", []paragraph{p(prose1), {text: "Two eggs", tag: atom.Li}}, 2},
		{"only paragraph kept", []paragraph{p("Short label")}, 1},
		{"closing quote after full stop", []paragraph{p(prose1), p("“We are done.”")}, 2},
		{"ranking set line by line in one block kept", append([]paragraph{b(prose1, 1)},
			b("1. Rob Halford", 2), b("2. Ronnie James Dio", 2), b("3. Bruce Dickinson", 2),
			b("4. Ozzy Osbourne", 2), b("5. Ann Wilson", 2)), 6},
		{"trailer of boxes dropped", append([]paragraph{b(prose1, 1)},
			b("Issue 72", 2), b("7,65 euros", 3), b("6,90 euros", 4), b("Subscribe", 5), b("Contents", 6)), 1},
		{"press contact block in one block dropped", append([]paragraph{b(prose1, 1)},
			b("Press contact:", 2), b("Jan Koch", 2), b("Phone +49 (0)40 / 49 07 11 06", 2),
			b("jan.koch@example.org", 2), b("Ana Thiel", 2), b("Phone +49 (0)40 / 49 07 11 05", 2)), 1},
		{"contact block with full stops dropped", []paragraph{b(prose1, 1),
			b("For more, call Jan Koch on 040 490 711 06.", 2), b("Or write to jan.koch@example.org.", 3)}, 1},
		{"one hotline number kept", []paragraph{b(prose1, 1),
			b("Witnesses should call the police on 06301 7992 0.", 2)}, 2},
		{"date line with a full stop dropped", []paragraph{p(prose1), p("Updated on 17.01.2021.")}, 1},
		{"short closing sentence with a number kept", []paragraph{p(prose1), p("The bridge opens in May and costs 12 million euros.")}, 2},
		{"date and permalink items dropped", []paragraph{p(prose1),
			{text: "Date 23.05.2011", tag: atom.Li, block: -1}, {text: "Permalink https://p.example/p/RPYx", tag: atom.Li, block: -1}}, 1},
		{"sentence without spaces kept", []paragraph{p(prose1), p("据新华社报道，2012年6月4日，河北省举行了会议，会议决定加快发展。")}, 2},
		{"closing pointers dropped", []paragraph{b(prose1, 1),
			{text: "More on this on the council's website.", block: 2, linked: true},
			{text: "Follow us on Telegram, Instagram and Twitter for the latest news.", block: 3, linked: true}}, 1},
		{"long linked closing paragraph kept", []paragraph{b(prose1, 1),
			{text: strings.Repeat("The report, linked here, runs to many pages and finds that costs rose. ", 4), block: 2, linked: true}}, 2},
		{"results in table rows kept", append([]paragraph{b(prose1, 1)},
			row("1. Smith, Leeds 1993 12 345 678"), row("2. Jones, York 1994 12 345 912"),
			row("3. Brown, Hull 1993 12 346 001")), 4},
	}
	for _, tt := range tests {
		if got := len(trimTail(tt.in)); got != tt.want {
			t.Errorf("%s: kept %d paragraphs, want %d", tt.name, got, tt.want)
		}
	}
}

func TestTrimHead(t *testing.T) {
	p := func(text string) paragraph { return paragraph{text: text} }
	tests := []struct {
		name string
		in   []paragraph
		want int // paragraphs kept
	}{
		{"sentence kept", []paragraph{p("It starts here."), p(prose1)}, 2},
		{"dateline dropped", []paragraph{p("Published: 04.05.2021"), p(prose1)}, 1},
		{"author names dropped", []paragraph{p("Anna Nowak, Jan Kowalski"), p("Section label"), p(prose1)}, 1},
		{"heading kept", []paragraph{{text: "What happened", tag: atom.H2}, p(prose1)}, 2},
		{"long opening line kept", []paragraph{p(strings.Repeat("word ", 20)), p(prose1)}, 2},
		{"only paragraph kept", []paragraph{p("Short label")}, 1},
	}
	for _, tt := range tests {
		if got := len(trimHead(tt.in)); got != tt.want {
			t.Errorf("%s: kept %d paragraphs, want %d", tt.name, got, tt.want)
		}
	}
}

func TestCaptionsFollowKeepCaptions(t *testing.T) {
	page := article(`<p>` + prose1 + `</p><figure><img src="/t.jpg"><figcaption>The new tram at its depot.</figcaption></figure><p>` + prose2 + `</p>`)
	for _, keep := range []bool{false, true} {
		res, err := Extract([]byte(page), Options{KeepCaptions: keep})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(res.Text, "The new tram at its depot."); got != keep {
			t.Errorf("KeepCaptions=%v: caption in text = %v, want %v; text %q", keep, got, keep, res.Text)
		}
	}
}

// A released analysis keeps no pointer into its document: its table is
// recycled, and must not keep the last page alive.
func TestReleaseDropsTheDocument(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<body><div class="story"><p>One paragraph of text.</p></div><nav class="menu">x</nav></body>`))
	if err != nil {
		t.Fatal(err)
	}
	p := analyse(doc)
	elems := p.elems
	if len(elems) == 0 {
		t.Fatal("analyse found no elements")
	}
	p.release()
	for i, e := range elems {
		if e.n != nil {
			t.Fatalf("element %d still points at its node after release", i)
		}
	}
}

// A class's flags carry the metadata's marks beside the hints, whichever
// of the two a value was first looked up for.
func TestClassFlagsMarkBylineAndDateBoxes(t *testing.T) {
	tests := []struct {
		class          string
		byline, date   bool
		negative, weak bool
	}{
		{"Byline author-box", true, false, true, false},
		{"comment-byline", false, false, true, false},
		{"entry-date published", false, true, false, false},
		{"post-DATE", false, true, false, false},
		{"date modified", false, false, false, false},
		{"comment-date", false, false, true, false},
		{"more-info", false, false, false, true},
		{"meta-publish", false, true, false, true},
		{"ad-slot", false, false, true, false},
		{"Entry-Date", false, true, false, false},
		{"COMMENTARY byline", false, false, true, false},
		{"commentary-piece", false, false, false, false},
		{"größe-byline", true, false, true, false},
		{"metadata", false, false, false, true},
		{"", false, false, false, false},
	}
	for _, tt := range tests {
		f := hintCache{}.flags(tt.class)
		got := [4]bool{f&classByline != 0, f&classDate != 0, f&hintNegative != 0, f&hintWeak != 0}
		if want := [4]bool{tt.byline, tt.date, tt.negative, tt.weak}; got != want {
			t.Errorf("flags(%q): byline, date, negative, weak = %v, want %v", tt.class, got, want)
		}
	}
}

// referenceValueFlags is valueFlags as the hint lists and marks define it,
// one word at a time, without the one-scan shortcuts.
func referenceValueFlags(v string) uint8 {
	var f uint8
	s := strings.ReplaceAll(strings.ToLower(v), "commentary", "opinion")
	containsAny := func(s string, words []string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(s, w) })
	}
	switch {
	case containsAny(s, negativeHints):
		f = hintNegative
	default:
		if containsAny(s, positiveHints) {
			f = hintPositive
		}
		if hasToken(s, negativeTokens) {
			f |= hintNegative
		} else if hasToken(s, weakTokens) || strings.Contains(s, "meta") {
			f |= hintWeak
		}
	}
	lower := string(lowerASCII(nil, v))
	if strings.Contains(lower, "byline") && !strings.Contains(lower, "comment") {
		f |= classByline
	}
	if (strings.Contains(lower, "date") || strings.Contains(lower, "publish")) && namesDate(lower) {
		f |= classDate
	}
	return f
}

// The flags of random class values built from the words that matter, in
// every case and with non-ASCII letters, are those of the definition.
func TestValueFlagsMatchTheDefinition(t *testing.T) {
	parts := []string{"comment", "ary", "Commentary", "byline", "date", "Date", "publish", "updated", "modif", "meta",
		"ad", "ads", "info", "more", "nav", "post", "entry", "content", "-", " ", "_", "ß", "İ", "\u212a", "x", "Nav", "COMMENTARY", "e", "d"}
	rng := rand.New(rand.NewPCG(11, 13))
	for range 50000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		v := b.String()
		if got, want := valueFlags(v), referenceValueFlags(v); got != want {
			t.Fatalf("valueFlags(%q) = %05b, want %05b", v, got, want)
		}
	}
}

// readAttrs finds what attr and hasAttr find, one name at a time: the first
// value of each name, repeated names and empty values included.
func TestReadAttrsAgreesWithAttr(t *testing.T) {
	names := []string{"class", "id", "itemprop", "style", "aria-hidden", "hidden", "href", "Class"}
	vals := []string{"", "a", "articleBody", "true", "display: none"}
	rng := rand.New(rand.NewPCG(2, 3))
	for range 5000 {
		n := &html.Node{Type: html.ElementNode, Data: "div"}
		for range rng.IntN(7) {
			n.Attr = append(n.Attr, html.Attribute{Key: names[rng.IntN(len(names))], Val: vals[rng.IntN(len(vals))]})
		}
		got := readAttrs(n)
		want := elemAttrs{class: attr(n, "class"), id: attr(n, "id"), itemprop: attr(n, "itemprop"),
			style: attr(n, "style"), ariaHidden: attr(n, "aria-hidden"), hidden: hasAttr(n, "hidden")}
		if got != want {
			t.Fatalf("readAttrs(%v) = %+v, want %+v", n.Attr, got, want)
		}
	}
}

// trimRightBlank trims what strings.TrimRight trims with the same cut set,
// including broken UTF-8 next to a no-break space.
func TestTrimRightBlankIsTrimRight(t *testing.T) {
	parts := []string{"a", " ", "\t", "\n", "\f", "\r", "\v", "\u00a0", "\xc2", "\xa0", "é", "\u2003", "."}
	rng := rand.New(rand.NewPCG(4, 9))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		s := b.String()
		if got, want := trimRightBlank(s), strings.TrimRight(s, htmlSpace+"\u00a0"); got != want {
			t.Fatalf("trimRightBlank(%q) = %q, want %q", s, got, want)
		}
	}
}
