package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
	"github.com/wiresift/wiresift/worker/store/sqlite"
	"github.com/wiresift/wiresift/worker/textnorm"
)

// probesPerArchive is how many articles each iteration ingests per archive.
const probesPerArchive = 400

// cacheDir keeps the synthetic archives between runs: the 1M one takes
// minutes to build.
func cacheDir(tb testing.TB) string {
	dir := filepath.Join(os.TempDir(), "wiresift-bench-cache")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// BenchmarkNearDupLookup ingests new articles through the store's real
// decision (store.Decide: item, URL, hash, then the near-duplicate
// candidate query and the insert) into archives of 10,000 and 1,000,000
// stored fingerprints, and reports the cost per article on each and their
// ratio (target 1M <= 2x 10k). "hit" probes share half their keys with a
// stored article, so the candidate query returns it and Best verifies it;
// "miss" probes share none, the common case.
func BenchmarkNearDupLookup(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 1,000,000-article archive (cached in the temp dir)")
	}
	ctx := context.Background()
	sizes := []int{10_000, 1_000_000}
	perArticle := map[string]time.Duration{}
	for _, n := range sizes {
		a := Archive{Articles: n, KeysPerArticle: 32, SketchBytes: 256, TextBytes: 100}
		path := a.CachedPath(cacheDir(b), schema(b))
		start := time.Now()
		if err := a.Build(ctx, path, schema(b)); err != nil {
			b.Fatal(err)
		}
		if d := time.Since(start); d > time.Second {
			b.Logf("built archive of %d fingerprints in %v: %s", n, d.Round(time.Second), path)
		}
		st, err := sqlite.Open(ctx, path, schema(b))
		if err != nil {
			b.Fatal(err)
		}
		for _, kind := range []string{"miss", "hit"} {
			var total time.Duration
			for it := range b.N {
				probes := makeProbes(b, path, n, kind, it)
				t0 := time.Now()
				for _, sg := range probes {
					out, err := st.Ingest(ctx, sg)
					if err != nil {
						b.Fatal(err)
					}
					if out.Reason != store.ReasonFirst {
						b.Fatalf("probe %s: reason %q; want %q (a distinct story)", sg.ItemKey, out.Reason, store.ReasonFirst)
					}
				}
				total += time.Since(t0)
			}
			perArticle[fmt.Sprint(n, kind)] = total / time.Duration(b.N*probesPerArchive)
		}
		st.Close()
	}
	for _, kind := range []string{"miss", "hit"} {
		small, large := perArticle[fmt.Sprint(sizes[0], kind)], perArticle[fmt.Sprint(sizes[1], kind)]
		b.ReportMetric(float64(small.Microseconds()), "µs/article-10k-"+kind)
		b.ReportMetric(float64(large.Microseconds()), "µs/article-1M-"+kind)
		b.ReportMetric(float64(large)/float64(small), "1M/10k-"+kind)
	}
}

// makeProbes builds distinct new stories to ingest into an archive of n
// articles. A hit probe carries 16 keys of a stored article besides 16 of
// its own.
func makeProbes(tb testing.TB, path string, n int, kind string, iter int) []store.Sighting {
	tb.Helper()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(iter)))
	run := fmt.Sprintf("%d-%d", time.Now().UnixNano(), iter)
	probes := make([]store.Sighting, probesPerArchive)
	for i := range probes {
		text := textnorm.Normalize(sentence(rng, 300))
		fp := dedup.Make(text)
		if kind == "hit" {
			stored, err := StoredKeys(context.Background(), path, 1+rng.Int64N(int64(n)))
			if err != nil || len(stored) < 16 || len(fp.Keys) < 16 {
				tb.Fatalf("hit probe: %d stored keys, %d own, err %v; want 16 of each", len(stored), len(fp.Keys), err)
			}
			fp.Keys = append(stored[:16:16], fp.Keys[:16]...)
		}
		u := fmt.Sprintf("http://bench.test/probe/%s/%d", run, i)
		probes[i] = store.Sighting{
			FeedID: 1, FeedURL: "http://bench.test/feed.xml", ItemKey: u, ItemURL: u,
			ItemTitle: "Probe", SeenAt: time.Now(), Print: fp,
			Article: store.ArticleData{URL: u, CanonicalURL: u, Title: "Probe", Text: text,
				ContentHash: textnorm.Hash(text), TextSource: store.TextFromPage},
		}
	}
	return probes
}
