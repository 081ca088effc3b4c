package urlnorm

import (
	"errors"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Already canonical", "https://example.com/news/story-1", "https://example.com/news/story-1"},
		{"Scheme and host case", "HTTPS://WWW.Example.COM/News/Story", "https://www.example.com/News/Story"},
		{"Default https port", "https://example.com:443/a", "https://example.com/a"},
		{"Default http port", "http://example.com:80/a", "http://example.com/a"},
		{"Other port kept", "http://127.0.0.1:8765/pages/p0001.html", "http://127.0.0.1:8765/pages/p0001.html"},
		{"Fragment dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"Hash-bang route kept", "https://example.com/#!/story/12", "https://example.com/#!/story/12"},
		{"Trailing slash dropped", "https://example.com/news/2024/05/11/slug/", "https://example.com/news/2024/05/11/slug"},
		{"Root path", "https://example.com", "https://example.com/"},
		{"Root path with slash", "https://example.com/", "https://example.com/"},
		{"Tracking parameters dropped", "https://example.com/a?utm_source=x&utm_medium=rss&fbclid=1&gclid=2&mc_cid=3&mc_eid=4", "https://example.com/a"},
		{"Identity query kept", "https://example.com/news/view.html?idx=12345&utm_campaign=z", "https://example.com/news/view.html?idx=12345"},
		{"Query parameters sorted", "https://example.com/view?b=2&a=1", "https://example.com/view?a=1&b=2"},
		{"Repeated parameter keeps its order", "https://example.com/v?x=2&a=1&x=1", "https://example.com/v?a=1&x=2&x=1"},
		{"Empty query dropped", "https://example.com/a?", "https://example.com/a"},
		{"Tracking name case-insensitive", "https://example.com/a?UTM_Source=x&id=7", "https://example.com/a?id=7"},
		{"Unreserved escape decoded", "https://example.com/%7Euser/%61rticle", "https://example.com/~user/article"},
		{"Reserved escape upper-cased", "https://example.com/a%2fb?q=%c3%a9", "https://example.com/a%2Fb?q=%C3%A9"},
		{"Dot segments", "https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"User info dropped", "https://user:pw@example.com/a", "https://example.com/a"},
		{"Trailing dot in host", "https://example.com./a", "https://example.com/a"},
		{"IPv6 host", "http://[::1]:8080/a/", "http://[::1]:8080/a"},
		{"IPv6 host, default port", "https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"},
		{"Port with leading zeros", "http://example.com:0080/a", "http://example.com/a"},
		{"Surrounding space", "  https://example.com/a  ", "https://example.com/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if err != nil {
				t.Fatalf("Canonical(%q) error %v, want %q", tt.in, err, tt.want)
			}
			if got != tt.want {
				t.Fatalf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again, err := Canonical(got); err != nil || again != got {
				t.Fatalf("Canonical not idempotent on %q: %q then %q (%v)", tt.in, got, again, err)
			}
		})
	}
}

func TestCanonicalKeepsDistinctPagesApart(t *testing.T) {
	pairs := [][2]string{
		{"https://example.com/news/view.html?idx=1", "https://example.com/news/view.html?idx=2"},
		{"https://example.com/a/b", "https://example.com/a/B"},
		{"https://example.com/a/b", "https://example.com/a//b"},
		{"https://example.com/story-1", "https://example.com/story-1.html"},
		{"http://example.com:8080/a", "http://example.com/a"},
		{"https://example.com/a?id=1", "https://example.com/a?ID=1"},
		{"https://example.com/a%2Fb", "https://example.com/a/b"},
	}
	for _, p := range pairs {
		a, errA := Canonical(p[0])
		b, errB := Canonical(p[1])
		if errA != nil || errB != nil {
			t.Fatalf("Canonical errors: %v, %v", errA, errB)
		}
		if a == b {
			t.Errorf("Canonical(%q) and Canonical(%q) are both %q, want different URLs", p[0], p[1], a)
		}
	}
}

func TestCanonicalRejectsNonHTTP(t *testing.T) {
	for _, in := range []string{"", "/relative/path", "mailto:a@example.com", "ftp://example.com/a", "https:///nohost", "javascript:alert(1)", "http://]:00", "http://[zz::1]/", "http://example.com:99999/"} {
		if got, err := Canonical(in); !errors.Is(err, ErrNotHTTP) {
			t.Errorf("Canonical(%q) = %q, %v; want ErrNotHTTP", in, got, err)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"https://Example.com:443/a/./b/../c/?utm_source=x&id=1#frag", "http://[::1]:80/%7e%2f?", "http://a/..%2e/b?x=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once, err := Canonical(s)
		if err != nil {
			return
		}
		twice, err := Canonical(once)
		if err != nil {
			t.Fatalf("Canonical(%q) = %q, which it then rejects: %v", s, once, err)
		}
		if twice != once {
			t.Fatalf("Canonical not idempotent on %q: %q then %q", s, once, twice)
		}
	})
}
