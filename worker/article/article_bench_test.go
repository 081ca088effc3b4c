//go:build unix

package article

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wiresift/wiresift/worker/charset"
	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/internal/cputime"
	"github.com/wiresift/wiresift/worker/store"
)

// BenchmarkArticleCorpus runs what ingest does to a fetched page outside the
// network and the store, serially, on each extraction corpus page: charset
// decoding, extraction, normalisation, keeping the raw page, the text choice
// against an empty feed item (as in BenchmarkIngest), the content hash and
// the dedup fingerprint. cpu-ms/page is getrusage time, steadier than the
// wall clock on a shared machine.
//
//	go test -run '^$' -bench ArticleCorpus -benchtime 3x -cpu 1 ./worker/article
func BenchmarkArticleCorpus(b *testing.B) {
	paths, _ := filepath.Glob("../../../shared/corpus/extraction-dev/html/*.html")
	if len(paths) == 0 {
		b.Skip("../shared/corpus/extraction-dev is absent")
	}
	var pages [][]byte
	total := 0
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, body)
		total += len(body)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Used()
	for range b.N {
		for i, body := range pages {
			articleOf(b, body, "http://corpus.test/"+filepath.Base(paths[i]))
		}
	}
	cpu := cputime.Used() - cpu0
	b.ReportMetric(cpu.Seconds()*1e3/float64(b.N*len(pages)), "cpu-ms/page")
}

// articleOf is fetchPage and article after the GET, on a page served as
// text/html without a charset.
func articleOf(b *testing.B, body []byte, link string) (store.ArticleData, dedup.Fingerprint) {
	utf8Body, err := charset.Decode(body, "text/html")
	if err != nil {
		b.Fatal(err)
	}
	page, err := cleanUTF8(utf8Body, link, nil, nil)
	if err != nil {
		return store.ArticleData{}, dedup.Fingerprint{}
	}
	art := store.ArticleData{URL: link, Title: page.Title, RawHTML: Compress(utf8Body)}
	art.Text, art.TextSource = chooseText(page.Text, feedContentText(feed.Item{}, nil))
	return Finish(art)
}
