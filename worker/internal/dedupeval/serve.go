package dedupeval

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// corpusBase is the base URL baked into the corpus's feeds.
const corpusBase = "http://127.0.0.1:8765"

// Serve serves the dedup corpus in dir as its README says: pages as they
// are, feeds with their baked-in base URL replaced by the server's. The
// server is closed when the test ends.
func Serve(t testing.TB, dir string) *httptest.Server {
	t.Helper()
	files := http.FileServer(http.Dir(dir))
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/feeds/") {
			b, err := os.ReadFile(filepath.Join(dir, "feeds", path.Base(r.URL.Path)))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			w.Write(bytes.ReplaceAll(b, []byte(corpusBase), []byte(srv.URL)))
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}
