package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/wiresift/wiresift/worker/dedup"
	"github.com/wiresift/wiresift/worker/store"
)

const story = "Wire service report. The central bank raised rates by a quarter point on Tuesday, " +
	"citing persistent inflation in services and a tight labour market across the region."

// editedCopy is copy w of a long wire story, with its own dateline and
// credit line, as syndicating sites edit it.
func editedCopy(w int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CITY %d (Wire) - ", w)
	for p := 0; p < 6; p++ {
		for s := 0; s < 4; s++ {
			fmt.Fprintf(&b, "Officials said figure %d of part %d rose on the harbour matter in district %d. ", p*7+s*3, p, s)
		}
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "Reporting by desk %d.", w)
	return b.String()
}

// TestConcurrentCopiesOfOneStoryMakeOneArticle runs one goroutine per
// worker, each with its own pool, ingesting a copy of one story from its own
// feed at the same instant.
func TestConcurrentCopiesOfOneStoryMakeOneArticle(t *testing.T) {
	tests := []struct {
		name string
		copy func(w int, f store.Feed) store.Sighting
	}{
		{"same text, different URLs", func(w int, f store.Feed) store.Sighting {
			return sighting(f, "item", fmt.Sprintf("http://site%d.test/story", w), story)
		}},
		{"same canonical URL, different texts", func(w int, f store.Feed) store.Sighting {
			return sighting(f, "item", "http://wire.test/story", fmt.Sprintf("%s Copy %d.", story, w))
		}},
		{"edited wire copies (near duplicates)", func(w int, f store.Feed) store.Sighting {
			return sighting(f, "item", fmt.Sprintf("http://site%d.test/story", w), editedCopy(w))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			first, dsn := openTest(t)
			const workers = 6
			feeds := addFeeds(t, first, workers)
			stores := make([]*Store, workers)
			for w := range stores {
				stores[w] = openDSN(t, dsn)
			}
			start := make(chan struct{})
			var wg sync.WaitGroup
			outs := make([]store.Outcome, workers)
			errs := make([]error, workers)
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					outs[w], errs[w] = stores[w].Ingest(ctx, tt.copy(w, feeds[fmt.Sprintf("http://feeds.test/%d", w)]))
				}()
			}
			close(start)
			wg.Wait()
			firsts := 0
			for w := range workers {
				if errs[w] != nil {
					t.Fatalf("worker %d: Ingest: %v", w, errs[w])
				}
				if outs[w].Reason == store.ReasonFirst {
					firsts++
				}
			}
			if firsts != 1 {
				t.Errorf("%d ingests stored a new article, want 1", firsts)
			}
			var arts []store.Article
			if err := first.Export(ctx, store.ExportFilter{}, func(a store.Article) error {
				arts = append(arts, a)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(arts) != 1 || len(arts[0].Sources) != workers {
				t.Fatalf("got %d articles (sources: %v), want 1 article with %d sources",
					len(arts), sourceCounts(arts), workers)
			}
		})
	}
}

func TestIngestSameItemTwiceIsAlreadySeen(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	f := addFeeds(t, s, 1)["http://feeds.test/0"]
	sg := sighting(f, "guid-1", "http://site.test/a", story)
	if out, err := s.Ingest(ctx, sg); err != nil || out.Reason != store.ReasonFirst {
		t.Fatalf("first Ingest = %+v, %v; want reason first", out, err)
	}
	out, err := s.Ingest(ctx, sg)
	if err != nil || !out.AlreadySeen {
		t.Fatalf("second Ingest = %+v, %v; want AlreadySeen", out, err)
	}
	seen, err := s.SeenItems(ctx, f.ID, []string{"guid-1", "guid-2"})
	if err != nil {
		t.Fatal(err)
	}
	if !seen["guid-1"] || seen["guid-2"] {
		t.Errorf("SeenItems = %v, want only guid-1", seen)
	}
}

func TestIngestLocksCoverEverythingDecideReads(t *testing.T) {
	f := store.Feed{ID: 3}
	sg := sighting(f, "k", "http://a.test/x", story)
	sg.Print.Keys = []uint64{1, 1 << 63, 1}
	got := ingestLocks(sg)
	want := map[int64]bool{
		lockKey("item", "3\x00k"):                          true,
		lockKey("url", "http://a.test/x"):                  true,
		lockKey("hash", sg.Article.ContentHash):            true,
		lockKey("key", "\x00\x00\x00\x00\x00\x00\x00\x01"): true,
		lockKey("key", "\x80\x00\x00\x00\x00\x00\x00\x00"): true,
	}
	if len(got) != len(want) {
		t.Errorf("ingestLocks gave %d locks, want %d distinct", len(got), len(want))
	}
	for i, k := range got {
		if !want[k] {
			t.Errorf("unexpected lock %d", k)
		}
		if i > 0 && got[i-1] >= k {
			t.Errorf("locks not strictly ascending at %d: %v", i, got)
		}
	}
}

func sourceCounts(arts []store.Article) string {
	var b strings.Builder
	for _, a := range arts {
		fmt.Fprintf(&b, "%d:%d ", a.ID, len(a.Sources))
	}
	return b.String()
}

func TestEditedCopiesAreNearDuplicates(t *testing.T) {
	a, b := dedup.Make(editedCopy(0)), dedup.Make(editedCopy(1))
	if len(a.Keys) == 0 {
		t.Fatal("dedup.Make gives no keys for an edited copy: the concurrency case above would test nothing")
	}
	if _, ok := dedup.Best(b, []dedup.Candidate{{ArticleID: 1, Sketch: a.Sketch, Words: a.Words, Shared: 1}}); !ok {
		t.Fatalf("dedup.Best does not match two edited copies; the concurrency case above would test nothing")
	}
}

// storyCopy is worker w's edited copy of story n: its own dateline and
// credit around a body that is story n's alone.
func storyCopy(n, w int) string {
	return fmt.Sprintf("CITY %d (Wire) - %s\n\nReporting by desk %d.", w, distinctStory(n), w)
}

// TestConcurrentWorkersOverSeveralStories has each worker, with its own
// pool, ingest its copy of every story in its own order: the locks of
// different stories interleave, and still each story ends as one article
// with one source per worker.
func TestConcurrentWorkersOverSeveralStories(t *testing.T) {
	a, b := dedup.Make(storyCopy(0, 0)), dedup.Make(storyCopy(0, 1))
	if _, ok := dedup.Best(b, []dedup.Candidate{{ArticleID: 1, Sketch: a.Sketch, Words: a.Words, Shared: 1}}); len(a.Keys) == 0 || !ok {
		t.Fatal("dedup does not match two edited copies of one story: the test would check nothing")
	}
	ctx := context.Background()
	first, dsn := openTest(t)
	const workers, stories = 4, 12
	feeds := addFeeds(t, first, workers)
	var wg sync.WaitGroup
	errs := make(chan error, workers*stories)
	for w := range workers {
		s := openDSN(t, dsn)
		f := feeds[fmt.Sprintf("http://feeds.test/%d", w)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range stories {
				// A different order per worker: 5 is prime to 12, so
				// i*5 walks every story once.
				n := (i*5 + w*7) % stories
				sg := sighting(f, fmt.Sprint("story-", n), fmt.Sprintf("http://site%d.test/%d", w, n), storyCopy(n, w))
				if _, err := s.Ingest(ctx, sg); err != nil {
					errs <- fmt.Errorf("worker %d story %d: %w", w, n, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var got []string
	if err := first.Export(ctx, store.ExportFilter{}, func(a store.Article) error {
		got = append(got, fmt.Sprint(len(a.Sources)))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(strings.Repeat(fmt.Sprint(workers)+" ", stories))
	if strings.Join(got, " ") != want {
		t.Errorf("sources per article: got [%s], want %d articles with %d sources each", strings.Join(got, " "), stories, workers)
	}
}
