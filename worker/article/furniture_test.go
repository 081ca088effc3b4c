package article

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestFurnitureFilterLogsWhatItDropsAndWhy(t *testing.T) {
	const promo = "Sign up for our morning briefing and never miss a story."
	var logs bytes.Buffer
	f := NewFurniture(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	// www. and the scheme do not make another host.
	for i, u := range []string{"https://www.news.example/a", "http://news.example/b", "https://NEWS.example/c"} {
		f.Observe(u, fmt.Sprintf("Story %d: the ferry ran late again on the %d o'clock crossing.\n\n%s", i, i+5, promo))
	}
	f.Observe("https://other.example/x", promo)
	tests := []struct {
		url, text, want string
		logged          bool
	}{
		{"https://news.example/d", "The bridge opened today.\n\n" + promo, "The bridge opened today.", true},
		{"https://other.example/y", "The bridge opened today.\n\n" + promo, "The bridge opened today.\n\n" + promo, false},
		{"not a url\x7f", "The bridge opened today.\n\n" + promo, "The bridge opened today.\n\n" + promo, false},
	}
	for _, tt := range tests {
		logs.Reset()
		if got := f.Filter(tt.url, tt.text); got != tt.want {
			t.Errorf("Filter(%s) = %q, want %q", tt.url, got, tt.want)
		}
		line := logs.String()
		if got := strings.Contains(line, "furniture paragraph dropped"); got != tt.logged {
			t.Errorf("Filter(%s) logged %v, want %v: %s", tt.url, got, tt.logged, line)
		}
		if tt.logged && !(strings.Contains(line, "host=news.example") && strings.Contains(line, "seen_on_pages=3") && strings.Contains(line, "Sign up")) {
			t.Errorf("the log line does not say which paragraph, on how many pages of which host: %s", line)
		}
	}
	if n := f.Dropped(); n != 1 {
		t.Errorf("Dropped = %d, want 1", n)
	}
	var off *Furniture
	if got := off.Filter("https://news.example/e", promo); got != promo || off.Dropped() != 0 {
		t.Errorf("a nil Furniture changed the text: %q", got)
	}
}
