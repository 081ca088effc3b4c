// Command localsite serves a tiny news site on the loopback address, so that a
// first run of wiresift needs no network: a wire service's feed with one story,
// and a paper's feed with its own story and the wire's, republished in its own
// template. The wire's feed holds a single item because the items of one feed
// are ingested concurrently: read first (-concurrency 1), its story is always
// article 1, as the README shows.
//
//	go run ./examples/localsite            # serves http://127.0.0.1:8089/
//	wiresift backfill -db demo.db -feeds examples/localsite/feeds.txt -allow-net 127.0.0.1/32 -concurrency 1
package main

import (
	"bytes"
	"embed"
	"flag"
	"io/fs"
	"log"
	"net/http"
	"path"
	"strings"
)

//go:embed site
var site embed.FS

// base is the address written in the site's feeds and pages; another -addr
// is substituted for it as the files are served.
const base = "127.0.0.1:8089"

func main() {
	addr := flag.String("addr", base, "address to listen on")
	flag.Parse()
	log.Printf("serving the example site on http://%s/ (Ctrl-C stops)", *addr)
	log.Fatal(http.ListenAndServe(*addr, handler(*addr)))
}

// handler serves the embedded site with addr written where its files say base.
func handler(addr string) http.Handler {
	root, err := fs.Sub(site, "site")
	if err != nil {
		panic(err) // the embedded tree always has site/
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		b, err := fs.ReadFile(root, name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		switch path.Ext(name) {
		case ".xml":
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write(bytes.ReplaceAll(b, []byte(base), []byte(addr)))
	})
}
