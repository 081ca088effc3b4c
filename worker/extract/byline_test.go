package extract

import (
	"net/url"
	"testing"
)

func TestTextDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Di., 25.01.2022 - 14:45", "2022-01-25"},
		{"5. November 2021, 10:39 Uhr", "2021-11-05"},
		{"Posted Oct 21, 2019", "2019-10-21"},
		{"5 de noviembre de 2021", "2021-11-05"},
		{"12 października 2021", "2021-10-12"},
		{"2022-05-04-0305:49:00-10800", "2022-05-04"},
		{"31.02.2022", ""},
		{"04/05/2021", ""},
		{"Mediadaten 2021", ""},
		{"5. Foo 2021", ""},
	}
	for _, tt := range tests {
		got := ""
		if d, ok := textDate(tt.in); ok {
			got = d.Format("2006-01-02")
		}
		if got != tt.want {
			t.Errorf("textDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAuthorFieldWrittenAsByline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Von FOCUS-Online-Experte Robin Tschöpe", "Robin Tschöpe"},
		{"By Senior Editor Jane Roe", "Jane Roe"},
		{"Posted by Konstantin", "Konstantin"},
		{"Di Maio", "Di Maio"},
		{"Jane Roe", "Jane Roe"},
		{"Autor: von", ""},
	}
	for _, tt := range tests {
		if got := withoutMarker(tt.in); got != tt.want {
			t.Errorf("withoutMarker(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestBylineAndDateLinesNearTheArticle: the author and the day printed
// with the article, not in a teaser, a sidebar or a comment, are read when
// the page's metadata names neither.
func TestBylineAndDateLinesNearTheArticle(t *testing.T) {
	body := `<p>` + prose("body", 4) + `</p><p>` + prose("more", 4) + `</p>`
	teaser := `<ul><li><a href="/other"><h3>Other story</h3><span class="date">01.01.2020</span>` +
		`<span>Von Ann Teaser</span></a></li></ul>`
	comment := `<div class="comments"><p>Posted by Troll</p><span class="comment-date">02.02.2020</span></div>`
	tests := []struct {
		name, page, author, day string
	}{
		{"posted-by line and date box", `<div class="post"><h1>Title</h1><div class="postdata">` +
			`<span class="category">Posted by Konstantin</span><span class="date">21.10.2019</span></div>` +
			`<div class="entry">` + body + `</div>` + comment + `</div>`, "Konstantin", "2019-10-21"},
		{"marker apart from the name", `<div class="story"><h1>Title</h1><div><span>By</span>` +
			`<span><a href="/team/jr">J.R. Stone</a></span></div><div class="text">` + body + `</div></div>`, "J.R. Stone", ""},
		{"label cells", `<div class="story"><h1>Title</h1><ul><li><div>Autor</div><div>Peter Middel</div></li>` +
			`<li><div>Datum</div><div>31.01.2022</div></li></ul><div class="text">` + body + `</div></div>`, "Peter Middel", "2022-01-31"},
		{"update day passed over", `<div class="story"><h1>Title</h1><div class="article__date">Aktualizacja: ` +
			`<time>05.05.2021</time></div><div class="text">` + body + `</div></div>`, "", ""},
		{"teaser and comment lines ignored", `<div class="story"><h1>Title</h1><div class="text">` + body +
			`</div>` + teaser + comment + `</div>`, "", ""},
		{"one name after a weak marker is not taken", `<div class="story"><h1>Title</h1><p>Von Berlin</p>` +
			`<div class="text">` + body + `</div></div>`, "", ""},
		{"a CMS account in the author field gives way to the byline", `<meta name="author" content="admin">` +
			`<div class="story"><h1>Title</h1><p>By Jane Roe</p><div class="text">` + body + `</div></div>`, "Jane Roe", ""},
		{"a placeholder author is no author", `<meta name="author" content="Unknown">` +
			`<div class="story"><h1>Title</h1><div class="text">` + body + `</div></div>`, "", ""},
	}
	u, _ := url.Parse("https://news.example/story")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract([]byte(`<html><body>`+tt.page+`</body></html>`), Options{URL: u})
			if err != nil {
				t.Fatal(err)
			}
			day := ""
			if res.Published != nil {
				day = res.Published.Format("2006-01-02")
			}
			if res.Author != tt.author || day != tt.day {
				t.Errorf("author %q, day %q; want %q, %q", res.Author, day, tt.author, tt.day)
			}
		})
	}
}

func TestBylineLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"By Jane Roe | 5 May 2021", "Jane Roe"},
		{"Posted by Konstantin @ 12:00 am", "Konstantin"},
		{"Autor: Anna", "Anna"},
		{"Von Wirtschaftsredakteur Max Muster, Berlin", "Max Muster"},
		{"By Design", ""},
		{"Von Montag bis Freitag", ""},
		{"Di recente Mario Rossi ha detto", ""},
		{"Por fin llega la lluvia", ""},
	}
	for _, tt := range tests {
		if got := bylineLine(tt.in); got != tt.want {
			t.Errorf("bylineLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
