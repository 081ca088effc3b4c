package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/store"
)

// BenchmarkSearchManyTerms measures a query of n ORed words over 2,000
// articles: snippet() grows with the square of the terms, which is why the
// CLI refuses more than 200 (cli.maxSearchTerms).
func BenchmarkSearchManyTerms(b *testing.B) {
	s := openTemp(b, Options{})
	feed := seedArchive(b, s, 0)
	ctx := context.Background()
	for i := range 2000 {
		if _, err := s.Ingest(ctx, benchSighting(feed, i)); err != nil {
			b.Fatal(err)
		}
	}
	for _, n := range []int{10, 100, 200, 1000} {
		words := make([]string, n)
		for i := range words {
			words[i] = fmt.Sprintf("word%d", i)
		}
		words[0] = "the" // one term that matches, so snippets are made
		q := strings.Join(words, " OR ")
		b.Run(fmt.Sprintf("terms=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Search(ctx, q, store.SearchOptions{Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
