package dedupeval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
)

// Label is one page of the corpus as labels.jsonl describes it.
type Label struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	File      string   `json:"file"`
	CleanFile string   `json:"clean_file"`
	Cluster   string   `json:"cluster"`
	Kind      string   `json:"kind"` // "original" or "copy"
	Template  string   `json:"template"`
	Site      string   `json:"site"`
	Headline  string   `json:"headline"`
	Ops       []string `json:"ops"`
	Feed      string   `json:"feed"`
	FeedItem  string   `json:"feed_item"`
	Order     int      `json:"order"`
	SameTopic []string `json:"same_topic"`
}

// ReadLabels reads a labels.jsonl file.
func ReadLabels(labelsPath string) ([]Label, error) {
	f, err := os.Open(labelsPath)
	if err != nil {
		return nil, fmt.Errorf("dedupeval: open labels: %w", err)
	}
	defer f.Close()
	var labels []Label
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l Label
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("dedupeval: %s line %d: %w", labelsPath, line, err)
		}
		labels = append(labels, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dedupeval: read labels: %w", err)
	}
	return labels, nil
}

// resolver maps a row key (a page id, the page's own URL or a local URL
// serving it) to the index of its label.
type resolver struct {
	byID  map[string]int
	byURL map[string]int
}

func newResolver(labels []Label) *resolver {
	r := &resolver{byID: map[string]int{}, byURL: map[string]int{}}
	for i, l := range labels {
		r.byID[l.ID] = i
		if k, ok := urlKey(l.URL); ok {
			r.byURL[k] = i
		}
	}
	return r
}

var pageFile = regexp.MustCompile(`^(p\d+)(\.html)?$`)

func (r *resolver) resolve(key string) (int, bool) {
	key = strings.TrimSpace(key)
	if m := pageFile.FindStringSubmatch(key); m != nil {
		i, ok := r.byID[m[1]]
		return i, ok
	}
	u, err := url.Parse(key)
	if err != nil || u.Host == "" {
		return 0, false
	}
	if k, ok := urlKey(key); ok {
		if i, ok := r.byURL[k]; ok {
			return i, true
		}
	}
	// Local serving: /pages/p0123.html, or /s/<host>/<path> for a proxy-style layout.
	if m := pageFile.FindStringSubmatch(path.Base(u.Path)); m != nil && strings.HasSuffix(path.Dir(u.Path), "pages") {
		i, ok := r.byID[m[1]]
		return i, ok
	}
	if rest, ok := strings.CutPrefix(u.Path, "/s/"); ok {
		host, p, _ := strings.Cut(rest, "/")
		inner := &url.URL{Scheme: "http", Host: host, Path: "/" + p, RawQuery: u.RawQuery}
		if k, ok := urlKey(inner.String()); ok {
			i, ok := r.byURL[k]
			return i, ok
		}
	}
	return 0, false
}

// urlKey is the README's URL comparison: lower-cased host without "www.",
// path without a trailing slash, and query; scheme, port and fragment ignored.
func urlKey(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	return host + strings.TrimRight(u.EscapedPath(), "/") + "?" + u.RawQuery, true
}
