package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/internal/cputime"
)

// beforeVersion is schema.sql cut before section v.
func beforeVersion(t *testing.T, v string) string {
	full := schemaText(t)
	i := strings.Index(full, "-- version: "+v+"\n")
	if i < 0 {
		t.Fatalf("schema.sql has no version %s", v)
	}
	return full[:i]
}

// openBeforeVersion opens a new archive made with schema.sql cut before
// section v, and returns it with its path, for a test to reopen it migrated.
func openBeforeVersion(t *testing.T, v string) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "before-v"+v+".db")
	old, err := Open(context.Background(), path, beforeVersion(t, v))
	if err != nil {
		t.Fatalf("Open with the versions before %s: %v", v, err)
	}
	return old, path
}

// An archive made before the outbox (version 6) migrates with its articles
// kept and no event for them; later ingests record theirs.
func TestMigrationToVersion7StartsAnEmptyOutbox(t *testing.T) {
	ctx := context.Background()
	old, path := openBeforeVersion(t, "7")
	feed := seedArchive(t, old, 2)
	old.Close()

	s := openPath(t, path)
	if v, err := userVersion(ctx, s.read); err != nil || v < 7 {
		t.Fatalf("user_version after migration: want at least 7, got %d, %v", v, err)
	}
	if ob, err := s.OutboxStats(ctx); err != nil || ob.Pending != 0 {
		t.Fatalf("outbox after migration: want empty, got %+v, %v", ob, err)
	}
	s.RecordEvents(true)
	if _, err := s.Ingest(ctx, testSighting(feed, 5)); err != nil {
		t.Fatal(err)
	}
	evs, err := s.ClaimEvents(ctx, time.Now(), 10, time.Minute)
	if err != nil || len(evs) != 1 || evs[0].Kind != "article.created" {
		t.Fatalf("after one new article: want one article.created event, got %+v, %v", evs, err)
	}
	integrityOK(t, s)
}

// An ingest that fails after writing its article leaves no event either:
// the outbox row is in the same transaction.
func TestFailedIngestLeavesNoEvent(t *testing.T) {
	s := openTemp(t, Options{})
	s.RecordEvents(true)
	feed := seedArchive(t, s, 0)
	sg := testSighting(feed, 1)
	sg.FeedID = feed.ID + 100 // no such feed: AddSource fails after InsertArticle
	if _, err := s.Ingest(context.Background(), sg); err == nil {
		t.Fatalf("Ingest on a missing feed: want a foreign-key error, got nil")
	}
	if ob, err := s.OutboxStats(context.Background()); err != nil || ob.Pending != 0 {
		t.Errorf("outbox after a rolled-back ingest: want empty, got %+v, %v", ob, err)
	}
}

// BenchmarkClaimEventsWithABacklog: 100,000 undelivered events, all waiting
// for a retry (a receiver that is down), then claims every second; with
// the due index a claim finds nothing without reading the backlog.
func BenchmarkClaimEventsWithABacklog(b *testing.B) {
	s := openTemp(b, Options{})
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.write.Exec(`
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO outbox (delivery, event, article_id, created_at, next_try_at, attempts)
SELECT printf('d%d', i), 'article.created', i, ?, ?, 3 FROM n`, now.UnixMicro(), now.Add(time.Hour).UnixMicro()); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		evs, err := s.ClaimEvents(ctx, now, 32, time.Minute)
		if err != nil || len(evs) != 0 {
			b.Fatalf("claim: want none due, got %d, %v", len(evs), err)
		}
	}
}

// BenchmarkIngestOutbox is BenchmarkIngestCPU's serial case with the
// outbox off and on: what recording the webhook event costs an ingest.
// Run with a fixed -benchtime (e.g. 1000x).
func BenchmarkIngestOutbox(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("events=%v", on), func(b *testing.B) {
			s := openTemp(b, Options{})
			s.RecordEvents(on)
			feed := seedArchive(b, s, 0)
			ctx := context.Background()
			sgs := benchPages(feed, b.N)
			b.ResetTimer()
			before := cputime.Used()
			for i := range sgs {
				if _, err := s.Ingest(ctx, sgs[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cputime.Used()-before).Microseconds())/float64(b.N), "cpu-µs/article")
		})
	}
}
