package extract

import "testing"

func TestStripRaw(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "<p>a</p>", "<p>a</p>"},
		{"comment", "<p>a<!-- x < y --></p>", "<p>a</p>"},
		{"script", `<p>a</p><script type="text/javascript">if (a<b) x()</script><p>b</p>`, "<p>a</p><p>b</p>"},
		{"upper-case script", "<SCRIPT>x</SCRIPT >b", "b"},
		{"json-ld kept", `<script type="application/ld+json">{"a":1}</script>`, `<script type="application/ld+json">{"a":1}</script>`},
		{"style", "<style>p{}</style><p>a</p>", "<p>a</p>"},
		{"svg", `<svg viewBox="0 0 1 1"><text>x</text></svg>b`, "b"},
		{"custom element kept", "<scripted-view>a</scripted-view>", "<scripted-view>a</scripted-view>"},
		{"unterminated script", "<p>a</p><script>var x", "<p>a</p>"},
		{"lone angle bracket", "a < b", "a < b"},
	}
	for _, tt := range tests {
		if got := string(stripRaw([]byte(tt.in))); got != tt.want {
			t.Errorf("%s: stripRaw(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
