package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wiresift/wiresift/worker/dedup/policy"
	"github.com/wiresift/wiresift/worker/store"
)

func exportFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.format, "format", "jsonl", "output format (jsonl)")
	fs.StringVar(&o.since, "since", "", "only articles first seen at or after this date (2006-01-02 or RFC 3339)")
	fs.StringVar(&o.until, "until", "", "only articles first seen before this date")
	fs.StringVar(&o.feed, "feed", "", "only articles seen on this feed URL")
}

func searchFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.format, "format", "text", "output format: text or jsonl")
	fs.IntVar(&o.limit, "limit", 20, "most results")
	fs.StringVar(&o.since, "since", "", "only articles first seen at or after this date")
	fs.StringVar(&o.until, "until", "", "only articles first seen before this date")
}

// maxSearchTerms bounds a query's words: SQLite's snippet() costs grow with
// the square of the terms (1,000 ORed words took 9 s, 2,000 took 38 s), so a
// longer query is refused with this limit rather than left to run.
const maxSearchTerms = 200

// parseDate reads a -since/-until value.
func parseDate(flagName, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("-%s %q: want a date such as 2024-05-11 or 2024-05-11T08:00:00Z", flagName, v)
}

// cmdExport streams every stored article as one JSON object a line.
func cmdExport(ctx context.Context, e *env) error {
	if e.opts.format != "jsonl" && e.opts.format != "json" {
		return usagef("-format %q: export writes jsonl", e.opts.format)
	}
	var f store.ExportFilter
	var err error
	if f.Since, err = parseDate("since", e.opts.since); err != nil {
		return err
	}
	if f.Until, err = parseDate("until", e.opts.until); err != nil {
		return err
	}
	f.FeedURL = e.opts.feed
	st, err := e.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return st.Export(ctx, f, func(a store.Article) error {
		if a.Sources == nil {
			a.Sources = []store.Source{}
		}
		return enc.Encode(a)
	})
}

// cmdSearch prints ranked full-text results.
func cmdSearch(ctx context.Context, e *env) error {
	if len(e.args) == 0 {
		return usagef("search needs a QUERY")
	}
	since, err := parseDate("since", e.opts.since)
	if err != nil {
		return err
	}
	until, err := parseDate("until", e.opts.until)
	if err != nil {
		return err
	}
	query := strings.Join(e.args, " ")
	if n := searchTerms(query); n > maxSearchTerms {
		return usagef("the query has %d words; at most %d are searched at once (split it into several searches)", n, maxSearchTerms)
	}
	st, err := e.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	hits, err := st.Search(ctx, query, store.SearchOptions{Limit: e.opts.limit, Since: since, Until: until})
	if errors.Is(err, store.ErrBadQuery) {
		return usagef("bad search query %q: %s (queries take words, \"phrases\", prefix*, AND, OR, NOT and title:word)", query, queryProblem(err))
	}
	if err != nil {
		return err
	}
	if e.opts.format == "jsonl" {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for _, h := range hits {
			if err := enc.Encode(h); err != nil {
				return err
			}
		}
		return nil
	}
	for i, h := range hits {
		fmt.Fprintf(e.stdout, "%d. %s\n   %s\n   %s, first seen %s, article %d\n   %s\n\n",
			i+1, h.Title, h.URL, plural(h.Sources, "source", "sources"), h.FirstSeen.Format("2006-01-02"), h.ArticleID, h.Snippet)
	}
	if len(hits) == 0 {
		fmt.Fprintln(e.stdout, "no results")
	}
	return nil
}

// cmdStats prints archive totals.
func cmdStats(ctx context.Context, e *env) error {
	st, err := e.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	if e.opts.format == "jsonl" {
		return json.NewEncoder(e.stdout).Encode(s)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "articles\t%d\n", s.Articles)
	fmt.Fprintf(w, "sources\t%d\n", s.Sources)
	for _, r := range []policy.Reason{store.ReasonSameURL, store.ReasonSameHash, store.ReasonNearDuplicate} {
		fmt.Fprintf(w, "duplicates %s\t%d\n", r, s.DuplicatesByReason[string(r)])
	}
	for _, st := range store.FeedStates {
		fmt.Fprintf(w, "feeds %s\t%d\n", st, s.FeedsByState[st])
	}
	fmt.Fprintf(w, "database bytes\t%d\n", s.DatabaseBytes)
	fmt.Fprintf(w, "webhook backlog\t%d\n", s.Webhook.Pending)
	if !s.Webhook.Oldest.IsZero() {
		fmt.Fprintf(w, "webhook oldest undelivered\t%s\n", s.Webhook.Oldest.Format(time.RFC3339))
	}
	return w.Flush()
}

// cmdDupes shows an article and every place it was seen.
func cmdDupes(ctx context.Context, e *env) error {
	if len(e.args) != 1 {
		return usagef("dupes needs one article ID")
	}
	id, err := strconv.ParseInt(e.args[0], 10, 64)
	if err != nil {
		return usagef("article ID %q is not a number", e.args[0])
	}
	st, err := e.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := st.Article(ctx, id)
	if err != nil {
		return err
	}
	if e.opts.format == "jsonl" {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(a)
	}
	fmt.Fprintf(e.stdout, "article %d: %s\n%s\nseen %s:\n", a.ID, a.Title, a.CanonicalURL, plural(len(a.Sources), "time", "times"))
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SEEN\tREASON\tSIMILARITY\tTEXT\tURL\tFEED\tHEADLINE")
	for _, s := range a.Sources {
		// TEXT: the sighting whose page the article is, and the ones it was until a fuller copy came.
		text := s.TextRole
		if s.ReplacedAt != nil {
			text += " " + s.ReplacedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%.2f\t%s\t%s\t%s\t%s\n", s.SeenAt.Format(time.RFC3339), s.Reason, s.Similarity, text, s.URL, s.FeedURL, s.Title)
	}
	return w.Flush()
}

func cmdVersion(ctx context.Context, e *env) error {
	fmt.Fprintf(e.stdout, "wiresift %s\n", e.build.Version)
	return nil
}
