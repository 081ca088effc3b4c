package pipeline

import (
	"testing"

	"github.com/wiresift/wiresift/worker/fetch"
)

func TestSourceKind(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want fetch.Kind
	}{
		{"https://example.com/feed.xml", fetch.KindFeed},
		{"https://example.com/sitemap.xml.gz", fetch.KindSitemap},
		{"https://example.com/SITEMAP.XML.GZ", fetch.KindSitemap},
		{"https://example.com/feed?archive=old.gz", fetch.KindFeed},
		{"https://example.gz/feed", fetch.KindFeed},
		{"https://example.com/sitemap.gz#top", fetch.KindSitemap},
	} {
		if got := sourceKind(tc.url); got != tc.want {
			t.Errorf("sourceKind(%q) = %v, want %v", tc.url, got, tc.want)
		}
	}
}
