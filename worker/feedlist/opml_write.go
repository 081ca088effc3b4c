package feedlist

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	Category string        `xml:"category,attr,omitempty"`
	Interval string        `xml:"wiresiftInterval,attr,omitempty"`
	Children []opmlOutline `xml:"outline"`
}

// WriteOPML writes entries as OPML 2.0. Feed readers know one level of
// folders, so each feed sits in the folder of its first tag; all its tags are
// also in the OPML 2.0 category attribute, which ParseOPML reads back.
func WriteOPML(w io.Writer, title string, entries []Entry) error {
	doc := opmlDoc{Version: "2.0", Title: cleanText(title)}
	folderAt := map[string]int{}
	for _, e := range entries {
		tags := addTags(nil, e.Tags...)
		o := feedOutline(e, tags)
		if len(tags) == 0 {
			doc.Body = append(doc.Body, o)
			continue
		}
		i, ok := folderAt[tags[0]]
		if !ok {
			i = len(doc.Body)
			folderAt[tags[0]] = i
			doc.Body = append(doc.Body, opmlOutline{Text: tags[0], Title: tags[0]})
		}
		doc.Body[i].Children = append(doc.Body[i].Children, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("feedlist: write OPML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("feedlist: write OPML: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("feedlist: write OPML: %w", err)
	}
	return nil
}

func feedOutline(e Entry, tags []string) opmlOutline {
	name := cleanText(e.Name)
	o := opmlOutline{Text: name, Title: name, Type: "rss", XMLURL: e.URL}
	if name == "" {
		o.Text = e.URL // text is required by OPML 2.0
	}
	if len(tags) > 0 {
		o.Category = "/" + strings.Join(tags, ",/")
	}
	if e.Interval > 0 {
		o.Interval = formatDuration(e.Interval)
	}
	return o
}
