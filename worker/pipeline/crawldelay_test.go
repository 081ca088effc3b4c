package pipeline

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wiresift/wiresift/worker/fetch"
)

type nopFetcher struct{}

func (nopFetcher) Get(context.Context, fetch.Request) (*fetch.Response, error) {
	return &fetch.Response{Status: 200}, nil
}

func TestCrawlDelaySpacesPagesOfOneHost(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var slept []string
	c := newCrawlDelayed(nopFetcher{}, func(u string) time.Duration {
		switch u[:len("http://a.test")] {
		case "http://a.test":
			return 2 * time.Second
		case "http://s.test":
			return 2 * time.Hour // capped
		}
		return 0
	})
	c.now = func() time.Time { return now }
	c.sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		slept = append(slept, d.String())
		return nil
	}
	get := func(u string, k fetch.Kind) {
		if _, err := c.Get(context.Background(), fetch.Request{URL: u, Kind: k}); err != nil {
			t.Fatal(err)
		}
	}
	get("http://a.test/1", fetch.KindPage) // first: no wait
	get("http://a.test/2", fetch.KindPage) // 2s after the first
	get("http://a.test/3", fetch.KindPage) // 4s
	get("http://b.test/1", fetch.KindPage) // no delay known
	get("http://a.test/feed", fetch.KindFeed)
	get("http://s.test/1", fetch.KindPage)
	get("http://s.test/2", fetch.KindPage) // capped at a minute
	if got, want := fmt.Sprint(slept), "[2s 4s 1m0s]"; got != want {
		t.Errorf("sleeps: want %s, got %s", want, got)
	}
}
