package cli

import (
	"flag"
	"strings"
)

func robotsFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.robotsOff, "robots-off", "", "comma-separated hosts of sitemap sources you own: their pages are fetched without asking robots.txt")
}

// robotsOffHosts is -robots-off as the pipeline asks it; nil when empty.
func (e *env) robotsOffHosts() func(host string) bool {
	hosts := map[string]bool{}
	for _, h := range strings.Split(e.opts.robotsOff, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			hosts[h] = true
		}
	}
	if len(hosts) == 0 {
		return nil
	}
	return func(host string) bool { return hosts[strings.ToLower(host)] }
}
