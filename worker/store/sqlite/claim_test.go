package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/store"
)

// TestBatchSaveKeepsEveryByte: a batch of states travels to SQLite as one
// JSON text (statesJSON), and a bound parameter stores any bytes. Whatever
// a server sent (quotes, control characters, NUL, bytes that are not
// UTF-8), a batch must store it as a save of one state does.
func TestBatchSaveKeepsEveryByte(t *testing.T) {
	texts := []string{
		`W/"a\"b"`, `back\slash`, "new\nline\ttab\r", "\x01\x1f\x7f", "nul\x00byte",
		"\u2028\u2029<&>", "", "é漢字🙂", "not utf-8 \xff\xfe", "",
	}
	s := openTemp(t, Options{})
	ctx := context.Background()
	cfgs := make([]store.FeedConfig, 2*len(texts))
	for i := range cfgs {
		cfgs[i] = store.FeedConfig{URL: fmt.Sprintf("http://127.0.0.1/%d.xml", i)}
	}
	if err := s.SyncFeeds(ctx, cfgs); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMicro(time.Now().UnixMicro()).UTC()
	result := func(f store.Feed, text string) store.PollResult {
		return store.PollResult{FeedID: f.ID, State: store.FeedActive, ETag: text, LastModified: text + "lm",
			BodyHash: text + "h", PolledAt: now, NextPollAt: now.Add(time.Hour), Status: 304, Error: text + "e",
			IdentityPolicy: text + "p", RedirectTo: text + "r"}
	}
	// The first half is saved in one batch of valid texts (saved in one
	// statement) and, apart, one batch holding every text; the second half
	// one state at a time.
	var all []store.PollResult
	for i, text := range texts {
		all = append(all, result(feeds[i], text))
		if err := s.SaveFeedState(ctx, result(feeds[len(texts)+i], text)); err != nil {
			t.Fatal(err)
		}
	}
	valid := all[:len(texts)-2] // texts ends with the one that is not UTF-8, then ""
	for _, batch := range [][]store.PollResult{valid, all} {
		if len(batch) == len(valid) {
			// Straight to the one statement: SaveFeedStates would hide its
			// failure by saving row by row.
			err := s.inTx(ctx, "save", func(ctx context.Context, tx *sql.Tx) error {
				list, ok := statesJSON(batch)
				if !ok {
					return errors.New("statesJSON refused the batch")
				}
				if all, err := s.saveAllStates(ctx, tx, batch, list); err != nil || !all {
					return fmt.Errorf("saved all: %v, %w", all, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		for i, err := range s.SaveFeedStates(ctx, batch) {
			if err != nil {
				t.Fatalf("batch result %d: %v", i, err)
			}
		}
		feeds, err := s.Feeds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range texts[:len(batch)] {
			one, inBatch := feeds[len(texts)+i], feeds[i]
			for _, f := range []store.Feed{one, inBatch} {
				got := []string{f.ETag, f.LastModified, f.BodyHash, f.LastError, f.IdentityPolicy, f.RedirectTo}
				want := []string{text, text + "lm", text + "h", text + "e", text + "p", text + "r"}
				if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
					t.Errorf("feed %d saved %q; want %q", f.ID, got, want)
				}
				if !f.LastPollAt.Equal(now) || !f.NextPollAt.Equal(now.Add(time.Hour)) || f.LastStatus != 304 {
					t.Errorf("feed %d: polled %v, next %v, status %d; want %v, %v, 304",
						f.ID, f.LastPollAt, f.NextPollAt, f.LastStatus, now, now.Add(time.Hour))
				}
			}
		}
	}
}

// TestStatesJSONSavesTogetherOnlyWhatItCan: a batch naming a feed twice, or
// holding text that is not UTF-8, is saved row by row.
func TestStatesJSONSavesTogetherOnlyWhatItCan(t *testing.T) {
	r := store.PollResult{FeedID: 1, ETag: `"x"`}
	other := store.PollResult{FeedID: 2}
	for _, c := range []struct {
		name string
		rs   []store.PollResult
		want bool
	}{
		{"distinct feeds", []store.PollResult{r, other}, true},
		{"a feed twice", []store.PollResult{r, other, r}, false},
		{"an ETag that is not UTF-8", []store.PollResult{r, {FeedID: 3, ETag: "\xff"}}, false},
		{"an error that is not UTF-8", []store.PollResult{{FeedID: 3, Error: "\xc3("}}, false},
	} {
		if _, got := statesJSON(c.rs); got != c.want {
			t.Errorf("%s: together %v; want %v", c.name, got, c.want)
		}
	}
}
