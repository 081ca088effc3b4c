package fetch

// DefaultUserAgent names wiresift, its version and where to read about it, so
// a publisher who sees it in a log knows who is polling and how to reach us.
func DefaultUserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "wiresift/" + version + " (+https://github.com/wiresift/wiresift)"
}
