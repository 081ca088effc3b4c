package feed

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func rssItems(n int, extra string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss version="2.0"><channel><title>T</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://news.example/%d</link><!-- <item> --><description><![CDATA[<item>not one</item>]]></description></item>\n", i, i)
	}
	b.WriteString(extra + `</channel></rss>`)
	return b.String()
}

func atomEntries(n int) string {
	var b strings.Builder
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>`)
	for i := range n {
		fmt.Fprintf(&b, `<entry><id>urn:%d</id><title>E %d</title><link href="https://news.example/%d"/></entry>`, i, i, i)
	}
	b.WriteString(`</feed>`)
	return b.String()
}

func jsonItems(n int) string {
	var b strings.Builder
	b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"%d","url":"https://news.example/%d","title":"a \"}{[\" b","tags":["x"]}`, i, i)
	}
	b.WriteString(`],"home_page_url":"https://news.example/"}`)
	return b.String()
}

func TestParseCapsItems(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantItems  int
		wantUnread int
	}{
		{"RSS at the cap", rssItems(MaxItems, ""), MaxItems, 0},
		{"RSS over the cap", rssItems(MaxItems+25, ""), MaxItems, 25},
		{"Atom over the cap", atomEntries(MaxItems + 3), MaxItems, 3},
		{"JSON Feed at the cap", jsonItems(MaxItems), MaxItems, 0},
		{"JSON Feed over the cap", jsonItems(MaxItems + 7), MaxItems, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), "", "https://news.example/feed")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(f.Items) != tt.wantItems || f.Unread != tt.wantUnread {
				t.Fatalf("got %d items, %d unread; want %d items, %d unread", len(f.Items), f.Unread, tt.wantItems, tt.wantUnread)
			}
			if last := f.Items[len(f.Items)-1].Link; last != fmt.Sprintf("https://news.example/%d", tt.wantItems-1) {
				t.Fatalf("last item read is %s, want the %dth of the document", last, tt.wantItems)
			}
		})
	}
}

func TestParseRefusesTooComplexFeeds(t *testing.T) {
	deep := strings.Repeat("<e:a>", MaxDepth) + strings.Repeat("</e:a>", MaxDepth)
	deepJSON := `{"version":"https://jsonfeed.org/version/1","items":[{"id":"1","_x":` + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth) + `}]}`
	wide := strings.Repeat("<e:a/>", MaxElements)
	tests := []struct {
		name, body, want string
	}{
		{"nested extension elements", rssItems(1, `<item xmlns:e="urn:e"><title>x</title>`+deep+`</item>`), "nested over 64 deep (line 2)"},
		{"nested JSON", deepJSON, "nested over 64 deep (line 1)"},
		{"too many elements", rssItems(1, `<item xmlns:e="urn:e">`+wide+`</item>`), "over 200000 elements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.body), "", "https://news.example/feed")
			if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "https://news.example/feed") {
				t.Fatalf("Parse = %v, want ErrTooComplex naming the feed and %q", err, tt.want)
			}
		})
	}
	// Just under the depth limit is read.
	ok := strings.Repeat("<e:a>", MaxDepth-4) + "x" + strings.Repeat("</e:a>", MaxDepth-4)
	if _, err := Parse([]byte(rssItems(1, `<item xmlns:e="urn:e"><title>x</title>`+ok+`</item>`)), "", "https://news.example/feed"); err != nil {
		t.Fatalf("Parse of a feed nested %d deep: %v", MaxDepth, err)
	}
}

func TestParserAdmitsEachDocumentByItsShape(t *testing.T) {
	var got []Shape
	released := 0
	p := Parser{Admit: func(s Shape) (func(), error) {
		got = append(got, s)
		return func() { released++ }, nil
	}}
	body := rssItems(MaxItems+10, "")
	if _, err := p.Parse([]byte(body), "", "https://news.example/feed"); err != nil {
		t.Fatal(err)
	}
	// Each item is <item>, <title>, <link>, <description>; plus rss, channel, title.
	if want := 4*MaxItems + 3; len(got) != 1 || got[0].Elements != want || got[0].Bytes >= len(body) || released != 1 {
		t.Fatalf("admitted %+v, released %d; want one shape of %d elements, cut shorter than %d bytes, released once", got, released, want, len(body))
	}
	refuse := Parser{Admit: func(Shape) (func(), error) { return nil, errors.New("budget closed") }}
	if _, err := refuse.Parse([]byte(rssItems(1, "")), "", "https://news.example/feed"); err == nil ||
		!strings.Contains(err.Error(), "https://news.example/feed: budget closed") {
		t.Fatalf("Parse with a refusing Admit = %v, want its error naming the feed", err)
	}
}
