package feed

import (
	"bytes"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// encodeFixture returns a UTF-8 fixture re-encoded as a server would send it;
// the fixtures stay readable in the repository while the test bytes are the
// real legacy encodings.
func encodeFixture(t *testing.T, name string, enc encoding.Encoding) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes(readFixture(t, name))
	if err != nil {
		t.Fatalf("encode %s: %v", name, err)
	}
	return b
}

func TestParseDecodesLegacyAndWideEncodings(t *testing.T) {
	utf16LE := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	utf16BE := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantFeed    string
		wantItem    string
	}{
		{"windows-1251 declared in prolog only", encodeFixture(t, "cyrillic.xml", charmap.Windows1251), "application/rss+xml",
			"Новости Приволжья", "Мост через Волгу откроют в июне"},
		{"windows-1251 declared in HTTP header too", encodeFixture(t, "cyrillic.xml", charmap.Windows1251), "text/xml; charset=windows-1251",
			"Новости Приволжья", "Мост через Волгу откроют в июне"},
		{"Shift_JIS declared in prolog", encodeFixture(t, "japanese.xml", japanese.ShiftJIS), "application/rss+xml",
			"港町新聞", "台風が接近、漁港に避難指示"},
		{"Shift_JIS in HTTP header overrides a missing prolog", bytes.Replace(encodeFixture(t, "japanese.xml", japanese.ShiftJIS), []byte(` encoding="Shift_JIS"`), nil, 1), "text/xml; charset=Shift_JIS",
			"港町新聞", "台風が接近、漁港に避難指示"},
		{"UTF-16LE with BOM", encodeFixture(t, "utf16.xml", utf16LE), "application/atom+xml",
			"Ελληνικά Νέα", "Καύσωνας στην Αθήνα — 40°C"},
		{"UTF-16BE without BOM", encodeFixture(t, "utf16.xml", utf16BE), "",
			"Ελληνικά Νέα", "Καύσωνας στην Αθήνα — 40°C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.body, tt.contentType, "https://legacy.example/feed")
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tt.wantFeed {
				t.Errorf("feed title %q, want %q", f.Title, tt.wantFeed)
			}
			if len(f.Items) != 1 || f.Items[0].Title != tt.wantItem {
				t.Errorf("items %+v, want one titled %q", f.Items, tt.wantItem)
			}
		})
	}
}
