package feed

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func at(s string) *time.Time {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &tm
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name, file, feedURL string
		want                *Feed
	}{
		{"RSS 2.0", "rss2.xml", "https://feeds.granitecity.example/world.xml", &Feed{
			Title:          "Granite City Daily — World",
			SiteURL:        "https://www.granitecity.example/world/",
			TTL:            time.Hour,
			NextURL:        "https://feeds.granitecity.example/world.xml?page=2",
			PrevArchiveURL: "https://feeds.granitecity.example/archive/2024-04.xml",
			Items: []Item{
				{GUID: "gcd-48213", Link: "https://www.granitecity.example/world/2024/05/11/grid-operators-warn/",
					Title: "Grid operators warn of winter shortfall", Author: "Maria Keller",
					Content: "<p>Operators say reserves are thin.</p><p>More follows.</p>",
					Summary: "Operators say reserves are thin.", Published: at("2024-05-11T05:03:00Z")},
				{GUID: "https://www.granitecity.example/world/2024/05/10/summit-ends/",
					Link:  "https://www.granitecity.example/world/2024/05/10/summit-ends/",
					Title: "Summit ends without a deal", Summary: "<p>Leaders left &amp; talks stalled.</p>",
					Published: at("2024-05-10T16:30:00Z")},
			},
		}},
		{"Atom", "atom.xml", "https://harbor.example/feed.atom", &Feed{
			Title:          "Harbor Ledger",
			SiteURL:        "https://harbor.example/",
			TTL:            6 * time.Hour,
			NextURL:        "https://harbor.example/feed.atom?page=3",
			PrevArchiveURL: "https://harbor.example/archive/2024/04.atom",
			Items: []Item{
				{GUID: "tag:harbor.example,2024:1001", Link: "https://harbor.example/news/port-strike",
					Title: "Port strike enters third day", Author: "Jonas Berg",
					Content: "<p>Dock workers stay out for a third day.</p>", Summary: "Dock workers stay out.",
					Published: at("2024-05-11T07:45:00Z")},
				{GUID: "tag:harbor.example,2024:1002", Link: "https://harbor.example/news/ferry",
					Title: "Ferry timetable changes", Author: "desk@harbor.example",
					Summary: "Summer schedule starts early.", Published: at("2024-05-10T12:00:00Z")},
			},
		}},
		{"JSON Feed", "jsonfeed.json", "https://valley.example/feed.json", &Feed{
			Title:   "Valley Voice",
			SiteURL: "https://valley.example/",
			NextURL: "https://valley.example/feed.json?page=2",
			Items: []Item{
				{GUID: "vv-2001", Link: "https://valley.example/2024/05/11/river-levels",
					Title: "River levels fall after week of rain", Author: "Ana Ruiz",
					Content: "<p>The river fell by a metre.</p>", Summary: "The river fell.",
					Published: at("2024-05-11T04:00:00Z")},
				{GUID: "vv-2000", Link: "https://valley.example/2024/05/10/bridge", Title: "Bridge reopens",
					Content: "The bridge is open again.", Published: at("2024-05-10T09:00:00Z")},
			},
		}},
		{"RSS 1.0", "rss1.rdf", "https://slashes.example/index.rdf", &Feed{
			Title:   "Slashes",
			SiteURL: "https://slashes.example/",
			TTL:     30 * time.Minute,
			Items: []Item{
				{Link: "https://slashes.example/story/1", Title: "Kernel 9.0 released", Author: "editor",
					Summary: "A new kernel.", Published: at("2024-05-11T04:00:00Z")},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(readFixture(t, tt.file), "", tt.feedURL)
			if err != nil {
				t.Fatal(err)
			}
			compareFeeds(t, got, tt.want)
		})
	}
}

func compareFeeds(t *testing.T, got, want *Feed) {
	t.Helper()
	gotItems, wantItems := got.Items, want.Items
	g, w := *got, *want
	g.Items, w.Items = nil, nil
	if !reflect.DeepEqual(g, w) {
		t.Errorf("feed:\n got %+v\nwant %+v", g, w)
	}
	if len(gotItems) != len(wantItems) {
		t.Fatalf("got %d items, want %d", len(gotItems), len(wantItems))
	}
	for i := range wantItems {
		gi, wi := gotItems[i], wantItems[i]
		if (gi.Published == nil) != (wi.Published == nil) ||
			gi.Published != nil && !gi.Published.Equal(*wi.Published) {
			t.Errorf("item %d published %v, want %v", i, gi.Published, wi.Published)
		}
		gi.Published, wi.Published = nil, nil
		if !reflect.DeepEqual(gi, wi) {
			t.Errorf("item %d:\n got %+v\nwant %+v", i, gi, wi)
		}
	}
}

func TestParseRejectsWhatIsNotAFeed(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		wantNotFeed             bool
		wantInError             string
	}{
		{"HTML page", "<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>", "text/html", true, "an HTML page"},
		{"empty body", "", "", true, "is empty"},
		{"plain text", "Service temporarily unavailable", "text/plain", true, "not RSS, Atom or JSON Feed"},
		{"other XML", `<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>`, "", true, "not RSS"},
		{"other JSON", `{"error": "rate limited"}`, "application/json", true, "not a JSON Feed"},
		{"broken XML names gofeed's reason", `<rss version="2.0"><channel><title>x</title><item><title>a</item></channel>`, "", false, "https://broken.example/rss"},
		{"broken JSON", `{"version": "https://jsonfeed.org/version/1", "items": [}`, "", false, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), tt.contentType, "https://broken.example/rss")
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", f)
			}
			if errors.Is(err, ErrNotFeed) != tt.wantNotFeed {
				t.Errorf("errors.Is(%v, ErrNotFeed) = %v, want %v", err, !tt.wantNotFeed, tt.wantNotFeed)
			}
			if !strings.Contains(err.Error(), tt.wantInError) || !strings.Contains(err.Error(), "https://broken.example/rss") {
				t.Errorf("error %q should contain %q and the feed URL", err, tt.wantInError)
			}
		})
	}
}

func TestParseDropsCharactersXMLForbids(t *testing.T) {
	body := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Bad\x0b bytes\x01</title>" +
		"<item><title>Caf\u00e9\x1b au lait\uFFFE\uFFFF</title><link>https://a.example/1</link>" +
		"<description>fine \x08text</description></item></channel></rss>"
	f, err := Parse([]byte(body), "application/rss+xml", "https://a.example/rss")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Bad bytes" {
		t.Errorf("feed title %q, want %q", f.Title, "Bad bytes")
	}
	if len(f.Items) != 1 || f.Items[0].Title != "Café au lait" || f.Items[0].Summary != "fine text" {
		t.Errorf("items %+v, want one titled %q with summary %q", f.Items, "Café au lait", "fine text")
	}
}

func TestParseIgnoresAWrongPrologOnUTF8(t *testing.T) {
	// The prolog claims windows-1251 but the bytes are UTF-8: a common CMS
	// mistake. Valid UTF-8 is never converted, and gofeed must not convert it
	// again from the prolog.
	body := strings.Replace(string(readFixture(t, "rss2.xml")), `encoding="UTF-8"`, `encoding="windows-1251"`, 1)
	f, err := Parse([]byte(body), "text/xml", "https://feeds.granitecity.example/world.xml")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Granite City Daily — World"; f.Title != want {
		t.Errorf("title %q, want %q", f.Title, want)
	}
}

func TestDeclareUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<?xml version="1.0" encoding="windows-1251"?><rss/>`, `<?xml version="1.0" encoding="UTF-8"?><rss/>`},
		{"\n  <?xml version='1.0' encoding='Shift_JIS' standalone='yes'?><rss/>", "\n  <?xml version='1.0' encoding=\"UTF-8\" standalone='yes'?><rss/>"},
		{`<?xml version="1.0" encoding="utf-8"?><rss/>`, `<?xml version="1.0" encoding="utf-8"?><rss/>`},
		{`<?xml version="1.0"?><rss encoding="koi8-r"/>`, `<?xml version="1.0"?><rss encoding="koi8-r"/>`},
		{`<rss/>`, `<rss/>`},
	}
	for _, tt := range tests {
		if got := string(declareUTF8([]byte(tt.in))); got != tt.want {
			t.Errorf("declareUTF8(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestItemDatesSkipsUndatedItems(t *testing.T) {
	f := &Feed{Items: []Item{{Published: at("2024-05-11T05:03:00Z")}, {}, {Published: at("2024-05-10T16:30:00Z")}}}
	got := f.ItemDates()
	want := []time.Time{*at("2024-05-11T05:03:00Z"), *at("2024-05-10T16:30:00Z")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ItemDates = %v, want %v", got, want)
	}
}
