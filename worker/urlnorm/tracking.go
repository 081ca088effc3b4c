package urlnorm

import "strings"

// trackingParams are query parameters that name a campaign or a click, never
// the page: analytics and ad-network click identifiers and mailing-list ids.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"igshid": true, "mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true,
	"mkt_tok": true, "_hsenc": true, "_hsmi": true, "oly_anon_id": true, "oly_enc_id": true,
	"vero_id": true, "rb_clickid": true, "s_cid": true, "ncid": true,
}

// isTracking reports whether a query parameter name is campaign tracking.
// utm_* is the Google Analytics campaign family (utm_source, utm_medium, …).
func isTracking(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "utm_") || trackingParams[n]
}
