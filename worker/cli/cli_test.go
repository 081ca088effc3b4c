package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// testBuild reads the schemas from the repository root, as main embeds them.
func testBuild(t testing.TB) Build {
	t.Helper()
	sq, err := os.ReadFile("../../schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := os.ReadFile("../../schema_postgres.sql")
	if err != nil {
		t.Fatal(err)
	}
	return Build{Version: "test", SQLiteSchema: string(sq), PostgresSchema: string(pg)}
}

// cliRun runs one wiresift command in-process and returns its exit code and output.
func cliRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), testBuild(t), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// workspace is a temporary directory holding a database and a feeds file.
type workspace struct {
	dir, db, feeds string
}

func newWorkspace(t *testing.T, feedURLs ...string) workspace {
	t.Helper()
	dir := t.TempDir()
	w := workspace{dir: dir, db: filepath.Join(dir, "wiresift.db"), feeds: filepath.Join(dir, "feeds.txt")}
	if err := os.WriteFile(w.feeds, []byte(strings.Join(feedURLs, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return w
}

// args prefixes a command with the flags every test run needs: its own
// database and feeds file, the loopback exemption for the httptest server,
// and no politeness gap so tests stay fast.
func (w workspace) args(cmd string, more ...string) []string {
	a := []string{cmd, "-db", w.db}
	switch cmd {
	case "poll", "run", "backfill":
		a = append(a, "-feeds", w.feeds, "-allow-net", "127.0.0.1/32", "-host-gap", "-1ns", "-log-format", "json")
	case "feeds", "opml":
		a = append(a, "-feeds", w.feeds)
	}
	return append(a, more...)
}

func (w workspace) mustRun(t *testing.T, cmd string, more ...string) string {
	t.Helper()
	code, out, errOut := cliRun(t, w.args(cmd, more...)...)
	if code != 0 {
		t.Fatalf("wiresift %s exited %d\nstdout:\n%s\nstderr:\n%s", cmd, code, out, errOut)
	}
	return out
}

// export runs `wiresift export` and decodes its lines.
func (w workspace) export(t *testing.T) []store.Article {
	t.Helper()
	out := w.mustRun(t, "export")
	var arts []store.Article
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var a store.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("export line is not JSON: %v\n%s", err, sc.Text())
		}
		arts = append(arts, a)
	}
	return arts
}

// site serves feeds and pages from memory.
type site struct {
	*httptest.Server
	mu    chan struct{}
	files map[string]served
}

type served struct {
	contentType string
	body        string
	status      int
}

func newSite(t *testing.T) *site {
	s := &site{files: map[string]served{}, mu: make(chan struct{}, 1)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu <- struct{}{}
		f, ok := s.files[r.URL.Path]
		<-s.mu
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.contentType)
		if f.status != 0 {
			w.WriteHeader(f.status)
		}
		fmt.Fprint(w, strings.ReplaceAll(f.body, "{{base}}", s.URL))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) add(path, contentType, body string) {
	s.mu <- struct{}{}
	s.files[path] = served{contentType: contentType, body: body}
	<-s.mu
}

func (s *site) addStatus(path string, status int, body string) {
	s.mu <- struct{}{}
	s.files[path] = served{contentType: "text/plain", body: body, status: status}
	<-s.mu
}

// rss renders a minimal RSS 2.0 feed whose items link to the given paths.
func rss(title string, items ...[2]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>{{base}}/</link>`, title)
	for i, it := range items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>{{base}}%s</link><guid>{{base}}%s</guid><pubDate>Mon, 0%d Jan 2024 10:00:00 GMT</pubDate><description>%s</description></item>`,
			it[0], it[1], it[1], i+1, it[0])
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// freeLoopbackURL is a URL on 127.0.0.1 where nothing listens.
func freeLoopbackURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/feed.xml"
}
