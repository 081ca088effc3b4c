package feed

import (
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// syPeriods are the RSS 1.0 Syndication module's update periods.
var syPeriods = map[string]time.Duration{
	"hourly":  time.Hour,
	"daily":   24 * time.Hour,
	"weekly":  7 * 24 * time.Hour,
	"monthly": 30 * 24 * time.Hour,
	"yearly":  365 * 24 * time.Hour,
}

// ttlHint reads the feed's own polling hint: RSS <ttl> (minutes) and
// sy:updatePeriod / sy:updateFrequency (period divided by frequency). When
// both are present the longer wins: both are requests to poll no more often.
// Unparseable or non-positive values are ignored.
func ttlHint(original any) time.Duration {
	var ttl time.Duration
	var exts ext.Extensions
	switch f := original.(type) {
	case *rss.Feed:
		if m, err := strconv.Atoi(strings.TrimSpace(f.TTL)); err == nil && m > 0 {
			ttl = time.Duration(m) * time.Minute
		}
		exts = f.Extensions
	case *atom.Feed:
		exts = f.Extensions
	}
	return max(ttl, syndicationHint(exts))
}

func syndicationHint(exts ext.Extensions) time.Duration {
	sy := exts["sy"]
	if sy == nil {
		return 0
	}
	periodName := strings.ToLower(strings.TrimSpace(firstValue(sy, "updatePeriod")))
	freqText := strings.TrimSpace(firstValue(sy, "updateFrequency"))
	if periodName == "" && freqText == "" {
		return 0
	}
	period, ok := syPeriods[periodName]
	if periodName == "" {
		period, ok = syPeriods["daily"], true // the module's default
	}
	if !ok {
		return 0
	}
	freq := 1
	if freqText != "" {
		n, err := strconv.Atoi(freqText)
		if err != nil || n <= 0 {
			return 0
		}
		freq = n
	}
	return period / time.Duration(freq)
}

func firstValue(m map[string][]ext.Extension, name string) string {
	if vs := m[name]; len(vs) > 0 {
		return vs[0].Value
	}
	return ""
}
