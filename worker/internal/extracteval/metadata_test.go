package extracteval

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"
)

func TestMetaScore(t *testing.T) {
	day := func(s string) *time.Time {
		tm, _ := time.Parse(time.RFC3339, s)
		return &tm
	}
	var s MetaScore
	s.Add(MetaLabel{ID: "a", Title: []string{"Rain  falls"}, Author: []string{"A. Writer"}, Published: []string{"2020-12-04"}, Lang: "de"},
		Meta{Title: "rain falls", Author: "A.\u00a0Writer", Published: day("2020-12-04T23:30:00+05:30"), Lang: "de-AT"})
	s.Add(MetaLabel{ID: "b", Title: []string{"Sun"}, Published: []string{"2020-12-05"}, Lang: "fr"},
		Meta{Title: "Sun | Site", Author: "Someone", Published: day("2020-12-04T23:30:00Z"), Lang: ""})
	want := MetaScore{
		Title:     FieldScore{Labelled: 2, Right: 1},
		Author:    FieldScore{Labelled: 1, Right: 1},
		Published: FieldScore{Labelled: 2, Right: 1},
		Lang:      FieldScore{Labelled: 2, Right: 1},
	}
	for _, f := range []struct {
		name      string
		got, want FieldScore
	}{{"title", s.Title, want.Title}, {"author", s.Author, want.Author}, {"published", s.Published, want.Published}, {"lang", s.Lang, want.Lang}} {
		if f.got.Labelled != f.want.Labelled || f.got.Right != f.want.Right {
			t.Errorf("%s: %d of %d right; want %d of %d (%q)", f.name, f.got.Right, f.got.Labelled, f.want.Right, f.want.Labelled, f.got.Wrong)
		}
	}
}

// TestMetadataAccuracy scores the metadata the extractor finds on the
// hand-labelled dev pages and prints each field's accuracy and misses:
//
//	go test ./worker/internal/extracteval -run TestMetadataAccuracy -v
func TestMetadataAccuracy(t *testing.T) {
	labels, err := LoadMetaLabels("testdata/metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := Load(corpusDir)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus %s absent", corpusDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	urls := make(map[string]string, len(pages))
	for _, p := range pages {
		urls[p.ID] = p.URL
	}
	var s MetaScore
	for _, l := range labels {
		raw, err := os.ReadFile(HTMLPath(corpusDir, l.ID))
		if err != nil {
			t.Fatal(err)
		}
		res, err := wiresiftResult(raw, urls[l.ID])
		if res == nil {
			t.Fatalf("%s: %v", l.ID, err)
		}
		s.Add(l, Meta{Title: res.Title, Author: res.Author, Lang: res.Language, Published: res.Published})
	}
	var b strings.Builder
	for _, f := range []struct {
		name string
		f    FieldScore
		min  float64
	}{
		{"title", s.Title, minTitle}, {"author", s.Author, minAuthor},
		{"published", s.Published, minPublished}, {"language", s.Lang, minLang},
	} {
		fmt.Fprintf(&b, "%-9s %2d/%2d = %.3f\n", f.name, f.f.Right, f.f.Labelled, f.f.Accuracy())
		for _, w := range f.f.Wrong {
			b.WriteString("\t" + w + "\n")
		}
		if f.f.Accuracy() < f.min {
			t.Errorf("%s accuracy %.3f; want ≥ %.3f", f.name, f.f.Accuracy(), f.min)
		}
	}
	t.Log("\n" + b.String())
}

// The accuracy reached so far on the labelled pages.
const (
	minTitle     = 0.96
	minAuthor    = 0.73
	minPublished = 0.93
	minLang      = 0.96
)
