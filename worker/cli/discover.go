package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/wiresift/wiresift/worker/feed"
	"github.com/wiresift/wiresift/worker/fetch"
	"github.com/wiresift/wiresift/worker/robots"
)

// discoverSources prints, as feeds-file lines ready to add, the feeds a
// site's home page advertises and the sitemaps its robots.txt names.
func (e *env) discoverSources(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usagef("feeds discover needs one URL (a site's home page)")
	}
	home, err := url.Parse(args[0])
	if err != nil || (home.Scheme != "http" && home.Scheme != "https") || home.Host == "" {
		return usagef("feeds discover: %q is not an http(s) URL", args[0])
	}
	fc := e.fetcher()
	var found int
	page, err := fc.Get(ctx, fetch.Request{URL: home.String(), Kind: fetch.KindPage})
	if err != nil {
		return fmt.Errorf("feeds discover: home page: %w", err)
	}
	for _, u := range feed.Discover(page.Body, page.URL, nil) {
		fmt.Fprintf(e.stdout, "%s  # feed advertised by %s\n", u, page.URL)
		found++
	}
	robotsURL := home.Scheme + "://" + home.Host + "/robots.txt"
	resp, err := fc.Get(ctx, fetch.Request{URL: robotsURL, Kind: fetch.KindRobots})
	var se *fetch.StatusError
	switch {
	case errors.As(err, &se):
		fmt.Fprintf(e.stderr, "%s answered %d: no sitemaps named\n", robotsURL, se.Code)
	case err != nil:
		fmt.Fprintf(e.stderr, "%s: %v\n", robotsURL, err)
	default:
		for _, u := range robots.Parse(bytes.NewReader(resp.Body), robots.Product).Sitemaps {
			fmt.Fprintf(e.stdout, "%s  # sitemap named by %s\n", u, robotsURL)
			found++
		}
	}
	if found == 0 {
		fmt.Fprintf(e.stderr, "no feed or sitemap found for %s\n", home)
	}
	return nil
}
