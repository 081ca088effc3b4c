package extract

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// prose returns n distinct sentences of ordinary prose tagged with label,
// so that a test can tell which block a paragraph came from.
func prose(label string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "The council of %s said on day %d that the new bridge would open in spring, after a long winter of delays and rising costs. ", label, i)
	}
	return b.String()
}

// linkList returns a list of n linked teaser headlines.
func linkList(n int) string {
	var b strings.Builder
	b.WriteString("<ul>")
	for i := range n {
		fmt.Fprintf(&b, `<li><a href="/story/%d">Another story about the region and its people number %d</a></li>`, i, i)
	}
	b.WriteString("</ul>")
	return b.String()
}

// teaserCards returns a box of n teaser cards: picture, linked headline,
// summary.
func teaserCards(n int) string {
	var b strings.Builder
	b.WriteString(`<div class="cards">`)
	for i := range n {
		fmt.Fprintf(&b, `<div class="card"><a href="/s/%d"><img src="x.jpg"></a><h4><a href="/s/%d">Another story %d</a></h4><p>Summary of another story about the region and its people, number %d.</p></div>`, i, i, i, i)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// TestExtractionClasses checks the classes of loss the extractor handles,
// each on a small page built like the real ones.
func TestExtractionClasses(t *testing.T) {
	tests := []struct {
		name          string
		page          string
		want, notWant []string
	}{
		{
			name: "article split by an ad and a newsletter box into sibling blocks",
			page: `<html><body><main><h1>Bridge opens</h1>` +
				`<div class="story-body"><p>` + prose("first", 6) + `</p><p>` + prose("second", 4) + `</p></div>` +
				`<div class="ad-slot">Advertisement</div>` +
				`<div class="newsletter-box"><p>Never miss the latest news: sign up to our newsletter today.</p></div>` +
				`<div class="story-body"><p>` + prose("third", 4) + `</p></div>` +
				`<div class="more-stories">` + linkList(60) + `</div>` +
				`</main></body></html>`,
			want:    []string{"council of first", "council of second", "council of third"},
			notWant: []string{"Never miss", "Advertisement", "Another story"},
		},
		{
			name: "sibling block of another style is not merged",
			page: `<html><body><main><h1>Bridge opens</h1>` +
				`<div class="story-body"><p>` + prose("first", 8) + `</p></div>` +
				`<div class="teaser"><p>` + prose("teaser", 2) + `</p></div>` +
				`<div class="more-stories">` + linkList(60) + `</div>` +
				`</main></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"council of teaser", "Another story"},
		},
		{
			name: "article body as an HTML template for the browser to render",
			page: `<html><body><div class="header-desc">The latest news and insights from our team.</div>` +
				`<div class="post"><h2>Bridge opens</h2><div class="post-body" itemprop="articleBody">` +
				`<script type='text/template'><span class="byline-author">Posted by A. Writer</span><p>` + prose("first", 3) + `</p><p>` + prose("second", 3) + `</p></script>` +
				`</div></div></body></html>`,
			want:    []string{"council of first", "council of second"},
			notWant: []string{"latest news and insights", "Posted by"},
		},
		{
			name: "template outside the article body is a widget",
			page: `<html><body><article><h1>Bridge opens</h1><p>` + prose("first", 4) + `</p>` +
				`<script type="text/template"><div class="comment"><p>` + prose("template", 3) + `</p></div></script>` +
				`</article></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"council of template"},
		},
		{
			name: "custom element named as navigation",
			page: `<html><body><pp-navigation>` + strings.Repeat(`<pp-item><pp-link>Overview: housing benefit and rent support for families.</pp-link></pp-item>`, 10) +
				`</pp-navigation><main><h1>Bridge opens</h1><p>` + prose("first", 12) + `</p></main></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"Overview: housing"},
		},
		{
			name: "recipe steps, each a picture with its paragraph, are the article",
			page: `<html><body><main><h1>Pumpkin dumplings</h1><p>` + prose("intro", 3) + `</p><div class="steps">` +
				steps(4) +
				`</div></main></body></html>`,
			want: []string{"council of intro", "Step 0: boil", "Step 3: boil"},
		},
		{
			name: "pictures set between the paragraphs keep their captions out",
			page: `<html><body><main><h1>Bridge opens</h1>` +
				`<p>` + prose("first", 3) + `</p><div class="visual"><img src="a.jpg"><p>The old bridge in 1950.</p></div>` +
				`<p>` + prose("second", 3) + `</p><div class="visual"><img src="b.jpg"><p>The new bridge at night.</p></div>` +
				`<p>` + prose("third", 3) + `</p><div class="visual"><img src="c.jpg"><p>The mayor on the bridge.</p></div>` +
				`</main></body></html>`,
			want:    []string{"council of first", "council of second", "council of third"},
			notWant: []string{"old bridge in 1950", "new bridge at night", "mayor on the bridge"},
		},
		{
			name: "a weak furniture word yields to clean prose, a strong one does not",
			page: `<html><body><main><h1>Bridge opens</h1><p>` + prose("first", 4) + `</p>` +
				`<div class="extra-info"><p>` + prose("extra", 1) + `</p></div>` +
				`<div class="newsletter"><p>` + prose("newsletter", 1) + `</p></div>` +
				`</main></body></html>`,
			want:    []string{"council of first", "council of extra"},
			notWant: []string{"council of newsletter"},
		},
		{
			name: "a logo <h1> does not open a lead",
			page: `<html><body><div id="page"><h1><a href="/">Site Name</a></h1>` +
				`<div id="slogan"><p>Pictures that move you and words that grip: try our tools today, free!</p></div>` +
				`<div class="wrap"><div class="col"><div class="entry"><p>` + prose("first", 6) + `</p></div></div>` +
				`<div class="side">` + linkList(30) + `</div></div></div></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"try our tools"},
		},
		{
			name: "a picture legend is not the lead",
			page: `<html><body><main><h1>Bridge opens</h1><div class="media"><div class="lazy-image" data-src="a.jpg"></div><div class="main-legend">The bridge at night, seen from the north bank of the river, in May.</div></div>` +
				`<div class="body"><p>` + prose("first", 6) + `</p></div>` + `<div class="more">` + linkList(30) + `</div></main></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"The bridge at night"},
		},
		{
			name: "a forum whose posts are all named comments keeps them",
			page: `<html><body><div class="forum"><h1>Bridge closed?</h1>` +
				`<div class="comment">` + prose("first", 3) + `</div>` +
				`<div class="comment">` + prose("second", 3) + `</div>` +
				`<div class="comment">` + prose("third", 3) + `</div>` +
				`</div></body></html>`,
			want: []string{"council of first", "council of second", "council of third"},
		},
		{
			name: "comments under an article are still dropped",
			page: `<html><body><article><h1>Bridge opens</h1><p>` + prose("first", 6) + `</p></article>` +
				`<div class="comments"><div class="comment-text">` + prose("comment", 2) + `</div></div></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"council of comment"},
		},
		{
			name: "a standfirst with a line break is still the lead",
			page: `<html><body><main><div class="intro-box"><h1>Bridge opens</h1><p class="intro">The council opens the new bridge on Monday, after two years of work.<br>So you can cross it first.</p></div>` +
				`<div class="content"><div class="story"><p>` + prose("first", 6) + `</p></div></div>` + `<div class="more">` + linkList(30) + `</div></main></body></html>`,
			want: []string{"The council opens the new bridge", "council of first"},
		},
		{
			name: "a comment thread longer than its article stays furniture",
			page: `<html><body><div id="page"><article><h1>Bridge opens</h1><p>` + prose("first", 3) + `</p><p>` + prose("second", 2) + `</p></article>` +
				`<div class="comment-links"><ul class="thread">` +
				`<li><p>` + prose("reader one", 3) + `</p><p>` + prose("reader two", 2) + `</p></li>` +
				`<li><p>` + prose("reader three", 3) + `</p><p>` + prose("reader four", 3) + `</p></li>` +
				`</ul></div></div></body></html>`,
			want:    []string{"council of first", "council of second"},
			notWant: []string{"council of reader"},
		},
		{
			name: "a standfirst set as a subheading in the article's header box",
			page: `<html><body><article><div class="top"><div class="kicker"><span>BIG CLASH</span></div><h1>Bridge opens</h1>` +
				`<div class="standfirst"><h2>The council opens the new bridge on Monday after two years of work, and the ferry will stop in June.</h2></div></div>` +
				`<div class="content"><p>` + prose("first", 6) + `</p></div></article><div class="more">` + linkList(30) + `</div></body></html>`,
			want: []string{"The council opens the new bridge", "council of first"},
		},
		{
			name: "a fact box inside the article is left out",
			page: `<html><body><article><h1>Bridge opens</h1><p>` + prose("first", 4) + `</p>` +
				`<div class="art-ins factbox floatRHS"><h3>The bridge in numbers</h3><p>` + prose("factbox", 1) + `</p></div>` +
				`<p>` + prose("second", 4) + `</p><div class="article-infobox"><p>` + prose("infobox", 1) + `</p></div></article></body></html>`,
			want:    []string{"council of first", "council of second"},
			notWant: []string{"council of factbox", "council of infobox"},
		},
		{
			name: "the next story loaded below is not a part of this one",
			page: `<html><body><main>` +
				`<article class="story"><h1>Bridge opens</h1><p>` + prose("first", 8) + `</p></article>` +
				`<div class="ad-slot">Advertisement</div>` +
				`<article class="story"><h1>Ferry stops</h1><p>` + prose("next story", 4) + `</p></article>` +
				`<div class="more-stories">` + linkList(60) + `</div></main></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"council of next story"},
		},
		{
			name: "article blocks each in wrappers of their own, split by an embed and a teaser box",
			page: `<html><body><div class="page"><div class="article-wrap"><h1>Bridge opens</h1>` +
				`<div class="row"><div class="col"><div class="rich-text"><p>` + prose("first", 6) + `</p></div></div></div>` +
				`<div class="row"><div class="col"><div class="embed-twitter"><p>A tweet from the mayor about the bridge.</p></div></div></div>` +
				`<div class="row"><div class="col"><div class="rich-text"><p>` + prose("second", 3) + `</p></div></div></div>` +
				`<div class="row"><div class="col">` + teaserCards(10) + `</div></div>` +
				`<div class="row"><div class="col"><div class="rich-text"><p>` + prose("third", 3) + `</p></div></div></div>` +
				`<div class="row"><div class="col"><div class="quote-box"><p>` + prose("quote", 1) + `</p></div></div></div>` +
				`<div class="row"><div class="col">` + linkList(60) + `</div></div>` +
				`</div><div class="sidebar">` + linkList(50) + `</div></div></body></html>`,
			want:    []string{"council of first", "council of second", "council of third"},
			notWant: []string{"tweet from the mayor", "Summary of another story", "Another story about", "council of quote"},
		},
		{
			name: "a press release's contact block and the issuer's profile after it",
			page: `<html><body><main><h1>Acme opens plant</h1><div class="content"><p>` + prose("first", 6) + `</p><p>` + prose("second", 3) + `</p>` +
				`<h3>Press contact</h3><p>Jane Doe<br>Head of Communications<br>Acme Corporation<br>Phone: +49 30 1234 5678<br>jane.doe@acme.example</p>` +
				`<h3>About Acme</h3><p>Acme Corporation is a leading provider of widgets and gadgets for industry, with 5,000 employees in 20 countries and offices on four continents.</p>` +
				`<p><a href="/press">Press kit</a> - all releases of Acme Corporation | <a href="/rss">RSS</a></p>` +
				`</div></main></body></html>`,
			want:    []string{"council of first", "council of second"},
			notWant: []string{"Jane Doe", "+49 30", "About Acme", "leading provider", "Press kit"},
		},
		{
			name: "a story's closing lines that give an address and a number stay",
			page: `<html><body><article><h1>Vote opens</h1><p>` + prose("first", 6) + `</p><p>` + prose("second", 3) + `</p>` +
				`<p>On the first and last days of voting, hours will be extended. Email vote@city.example or call 212-306-6794 for more information.</p>` +
				`<p>Are you a tenant preparing to vote this month? Send us your questions at desk@news.example</p>` +
				`<p>This project was produced with the support of a fund for civic reporting and community voices in the city.</p>` +
				`</article></body></html>`,
			want: []string{"council of second", "hours will be extended", "Are you a tenant", "This project was produced"},
		},
		{
			name: "a short post outweighed by a cookie notice is found by the page's summary of it",
			page: `<html><head><meta property="og:description" content="Who slips next on the ice? I bet you do, said the monster, and then it slipped itself."></head><body>` +
				`<nav>` + linkList(8) + `</nav>` +
				`<div class="post"><h2>Monster talk</h2><div class="post-content"><p>Who slips next on the ice? I bet you do, said the monster, and then it slipped itself. Ouch.</p></div></div>` +
				`<div class="widget cookie-law">` + `<p>Privacy and cookies: this site uses cookies. By continuing to use this website, you agree to their use. To find out more, including how to control cookies, see here.</p></div>` +
				`</body></html>`,
			want:    []string{"Who slips next on the ice?"},
			notWant: []string{"this site uses cookies"},
		},
		{
			name: "a summary that is not in the article leaves the choice alone",
			page: `<html><head><meta name="description" content="The council of elsewhere says the ferry will stop in June for good."></head><body>` +
				`<article><h1>Bridge opens</h1><p>` + prose("first", 6) + `</p></article>` +
				`<div class="box"><p>The council of elsewhere says the ferry will stop in June for good, and more.</p></div></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"ferry will stop"},
		},
		{
			name: "article blocks whose class differs by a modifier, split by teaser boxes",
			page: `<html><body><main><h1>Bridge opens</h1>` +
				`<div class="text-block text-block--lead"><p>` + prose("first", 6) + `</p></div>` +
				`<div class="ad-slot">Advertisement</div>` + teaserCards(10) + linkList(40) +
				`<section class="text-block"><p>` + prose("second", 4) + `</p></section>` +
				`<div class="video-player"><p>Watch: the bridge at night</p></div>` + linkList(30) +
				`<div class="text-block"><p>` + prose("third", 4) + `</p></div>` +
				`<div class="more-stories">` + linkList(60) + `</div></main></body></html>`,
			want:    []string{"council of first", "council of second", "council of third"},
			notWant: []string{"Advertisement", "Summary of another story", "Watch: the bridge"},
		},
		{
			name: "a grid column of widgets beside the article is not a part of it",
			page: `<html><body><div class="row"><h1>Bridge opens</h1>` +
				`<div class="col col-8"><p>` + prose("first", 8) + `</p></div>` +
				`<div class="col col-4"><p>` + prose("column", 2) + `</p>` + linkList(2) + `</div>` + linkList(20) +
				`</div><div class="more-stories">` + linkList(60) + `</div></body></html>`,
			want:    []string{"council of first"},
			notWant: []string{"council of column"},
		},
		{
			name: "a press release's issuer profile before its contact block",
			page: `<html><body><main><h1>Acme opens plant</h1><div class="content"><p>` + prose("first", 6) + `</p><p>` + prose("second", 3) + `</p>` +
				`<h3>About Acme</h3><p>Acme Corporation is a leading provider of widgets and gadgets for industry, with 5,000 employees in 20 countries.</p>` +
				`<h3>Press contact</h3><p>Jane Doe<br>Head of Communications<br>Acme Corporation<br>Phone: +49 30 1234 5678<br>jane.doe@acme.example</p>` +
				`</div></main></body></html>`,
			want:    []string{"council of first", "council of second"},
			notWant: []string{"About Acme", "leading provider", "Jane Doe"},
		},
		{
			name: "a story's last section before a contact block stays",
			page: `<html><body><main><h1>Season opens</h1><div class="content"><p>` + prose("first", 6) + `</p>` +
				`<h3>Outlook for the Season</h3><p>Season tickets go on sale in May, and the club expects a full house for the first match of the year.</p>` +
				`<h3>Press contact</h3><p>Jane Doe<br>Head of Communications<br>Phone: +49 30 1234 5678<br>jane.doe@club.example</p>` +
				`</div></main></body></html>`,
			want:    []string{"council of first", "Season tickets go on sale"},
			notWant: []string{"Jane Doe"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract([]byte(tt.page), Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(res.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, res.Text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(res.Text, w) {
					t.Errorf("text keeps %q:\n%s", w, res.Text)
				}
			}
		})
	}
}

func TestShortLinesWeigh(t *testing.T) {
	tests := []struct {
		name, block string
		prose       bool
	}{
		{"menu entry with a colon", `<p>Overview: Housing benefit</p>`, false},
		{"dateline with a comma", `<div>Berlin, 4 May 2022</div>`, false},
		{"short sentence", `<p>The bridge is open again.</p>`, true},
		{"short question", `<p>Who pays for the bridge?</p>`, true},
		{"result in a table cell", `<table><tr><td>Smith, Leeds 12,4 s</td></tr></table>`, true},
		{"list item with a comma", `<ul><li>Flour, sugar and eggs</li></ul>`, true},
		{"label without punctuation in a list", `<ul><li>Most read</li></ul>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parse([]byte("<html><body>"+tt.block+"</body></html>"), nil)
			if err != nil {
				t.Fatal(err)
			}
			p := analyse(doc)
			defer p.release()
			var w float64
			for i := range p.elems {
				if p.elems[i].ownText > 0 {
					w = blockWeight(&p.elems[i])
				}
			}
			if got := w > 0; got != tt.prose {
				t.Errorf("%s weighs %v; want prose %v", tt.block, w, tt.prose)
			}
		})
	}
}

// steps returns n recipe steps, each a picture and a paragraph.
func steps(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<div class="step"><img src="s%d.jpg"><div class="step-info"><p>Step %d: boil the dumplings in salted water, then toss them in the browned butter with sage and serve at once.</p></div></div>`, i, i)
	}
	return b.String()
}

func TestGuessLanguage(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"english", strings.Repeat("The council said that the bridge was closed for the winter and that it is safe again. ", 4), "en"},
		{"german", strings.Repeat("Der Rat sagte, dass die Brücke im Winter nicht offen ist und sich das mit dem Frühling ändert. ", 4), "de"},
		{"french", strings.Repeat("Le conseil a dit que le pont est fermé pour l'hiver et qu'il sera ouvert dans une semaine. ", 4), "fr"},
		{"spanish", strings.Repeat("El consejo dijo que el puente está cerrado por el invierno y que los trabajos para una reforma siguen. ", 4), "es"},
		{"polish", strings.Repeat("Rada powiedziała, że most nie jest otwarty w zimie i że to się zmieni na wiosnę. ", 4), "pl"},
		{"russian", strings.Repeat("Совет сказал, что мост не работает зимой, и что это изменится весной, как он и обещал. ", 4), "ru"},
		{"chinese", strings.Repeat("市议会说这座桥在冬天关闭，春天将重新开放。", 20), "zh"},
		{"japanese", strings.Repeat("市議会は、この橋は冬の間は閉鎖され、春に再開すると述べました。", 10), "ja"},
		{"too short", "The bridge is closed.", ""},
		{"no clear winner", strings.Repeat("Tesla Model Y Berlin Gigafactory 2022 Brandenburg Grünheide ", 8), ""},
	}
	for _, tt := range tests {
		if got := guessLanguage(tt.text); got != tt.want {
			t.Errorf("%s: guessLanguage = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestURLDate(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/2013/08/07/weitere-digitalisierung/", "2013-08-07"},
		{"/blog/2019/10/21", "2019-10-21"},
		{"/news/2022/13/01/x", ""},
		{"/web/20140226054445/http://x/", ""},
		{"/1800/01/01/x", ""},
		{"/story/123", ""},
	}
	for _, tt := range tests {
		got := ""
		if d := urlDate(tt.path); d != nil {
			got = d.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("urlDate(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestAuthorIsNotTheSite(t *testing.T) {
	page := `<html lang="de"><head><meta property="og:site_name" content="Example News">` +
		`<meta name="author" content="Example News"><meta name="dc.creator" content="Anna Writer">` +
		`<meta itemprop="datePublished" content="2021-12-14T15:41:07+01:00"></head>` +
		`<body><article><h1>Bridge opens</h1><p>` + prose("first", 4) + `</p></article></body></html>`
	u, _ := url.Parse("https://www.example.org/news/bridge")
	res, err := Extract([]byte(page), Options{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	if res.Author != "Anna Writer" {
		t.Errorf("author %q, want the person credited after the site's own name", res.Author)
	}
	if res.Published == nil || res.Published.Format(time.RFC3339) != "2021-12-14T15:41:07+01:00" {
		t.Errorf("published %v, want the datePublished meta", res.Published)
	}
}

func TestIsLangTag(t *testing.T) {
	for tag, want := range map[string]bool{
		"de": true, "pt-BR": true, "de_DE": true, "zh-Hant-TW": true, "es-419": true,
		"": false, "lang=": false, "{{lang}}": false, "-de": false, "deutsch": false, "x": false,
	} {
		if got := isLangTag(tag); got != want {
			t.Errorf("isLangTag(%q) = %v, want %v", tag, got, want)
		}
	}
}

func TestBylineName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"29. Juni 2017, 23:39 · von Tobi", "Tobi"},
		{"By Grace Zokovitch | gzokovitch@example.com", "Grace Zokovitch"},
		{"Par Barbara Stiegler", "Barbara Stiegler"},
		{"Alexandra Tremayne-Pengelly", "Alexandra Tremayne-Pengelly"},
		{"Posted by Nathan Parker, Varun Khaneja and Eric Mill - Chrome team", "Nathan Parker"},
		{"von Limespacer · 22. Oktober 2019", "Limespacer"},
		{"von", ""},
		{"9 de mayo", ""},
		{"abgelegt unter: Weltweit Vatikan Religion Christentum Katholische Kirche", ""},
		{"gizzmo", ""},
		{"by ,", ""},
		{"von ; Anna", ""},
	}
	for _, tt := range tests {
		if got := bylineName(tt.in); got != tt.want {
			t.Errorf("bylineName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
