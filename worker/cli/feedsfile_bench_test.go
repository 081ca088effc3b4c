package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wiresift/wiresift/worker/internal/cputime"
)

// BenchmarkSyncUnchangedFeedsFile10000 is the feeds-file sync at the start
// of every poll, for a file of 10,000 feeds that has not changed since the
// last one: what a cron poll of a large list pays before its pass.
func BenchmarkSyncUnchangedFeedsFile10000(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	var file strings.Builder
	file.WriteString("# ten thousand feeds\n")
	for i := range 10_000 {
		fmt.Fprintf(&file, "http://127.0.0.1:41234/feed/%d.xml\n", i)
	}
	feeds := filepath.Join(dir, "feeds.txt")
	if err := os.WriteFile(feeds, []byte(file.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	e := &env{build: testBuild(b), opts: &options{db: filepath.Join(dir, "wiresift.db"), feeds: feeds}}
	st, err := e.openStore(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for range 2 { // the first writes the feeds, the second records what it can
		if err := e.syncFeedsFile(ctx, st, log); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	cpu := cputime.Used()
	for b.Loop() {
		if err := e.syncFeedsFile(ctx, st, log); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cputime.Used()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
