package extract

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
)

// resolve fills the metadata fields of r from what the page offered,
// preferring explicit article metadata over general page metadata.
func (m *metadata) resolve(r *Result, base *url.URL) {
	r.SiteName = firstNonEmpty(m.prop("og:site_name"), m.ld.siteName, m.prop("application-name"), m.prop("twitter:site"))
	r.SiteName = strings.TrimPrefix(r.SiteName, "@")
	raw := firstNonEmpty(m.prop("og:title"), m.ld.headline, m.prop("twitter:title"), m.itemprops["headline"], m.titleTag)
	if raw == "" && len(m.h1) > 0 {
		raw = m.h1[0]
	}
	r.Title = cleanTitle(collapse(raw), r.SiteName, m.h1)
	for _, a := range []string{m.ld.author, nonURL(m.prop("author")), nonURL(m.prop("article:author")),
		m.prop("dc.creator", "sailthru.author", "parsely-author"), nonURL(m.itemprops["author"]), bylineName(m.byline)} {
		if a = withoutMarker(collapse(a)); isPersonCredit(a, r.SiteName, base) {
			r.Author = a
			break
		}
	}
	r.Description = collapse(firstNonEmpty(m.prop("og:description"), m.prop("description"), m.prop("twitter:description")))
	for _, l := range []string{m.lang, m.prop("content-language"), m.ld.lang, strings.ReplaceAll(m.prop("og:locale"), "_", "-")} {
		// A template's placeholder ("lang=", "{{lang}}") is no language.
		if l = strings.TrimSpace(l); isLangTag(l) {
			r.Language = l
			break
		}
	}
	for _, d := range []string{
		m.prop("article:published_time"), m.ld.published, m.itemprops["datePublished"], m.prop("datepublished"),
		m.prop("date", "dc.date", "dc.date.issued", "pubdate", "publishdate", "og:published_time", "sailthru.date", "parsely-pub-date"),
		m.timeAttr,
	} {
		// Fields written for people ("Di., 25.01.2022 - 14:45") are
		// read as text when no machine format fits.
		t, ok := parseDate(d)
		if !ok {
			t, ok = textDate(d)
		}
		if ok {
			r.Published = &t
			break
		}
	}
	if r.Published == nil && base != nil {
		r.Published = urlDate(base.Path)
	}
	r.CanonicalURL = absoluteURL(base, firstNonEmpty(m.canonical, m.prop("og:url")))
}

var dateLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02",
	"2006-01-02 15:04", time.RFC1123Z, time.RFC1123, "02.01.2006", "2006/01/02",
}

// urlDate reads the /2006/01/02/ that many sites put in article paths, or
// returns nil.
func urlDate(path string) *time.Time {
	for i := 0; i+11 <= len(path); i++ {
		if path[i] != '/' || path[i+5] != '/' || path[i+8] != '/' || i+11 < len(path) && path[i+11] != '/' {
			continue
		}
		if t, err := time.Parse("/2006/01/02", path[i:i+11]); err == nil && t.Year() >= 1995 {
			return &t
		}
	}
	return nil
}

// parseDate reads the date formats pages use in metadata.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// absoluteURL resolves ref against base; without a base only absolute http(s)
// URLs are returned.
func absoluteURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return u.String()
}

// nonURL drops values that are profile links rather than names.
func nonURL(s string) string {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return ""
	}
	return s
}

// isPersonCredit reports an author value that names someone: the site
// credited as its own author names no one, nor does the CMS account a
// post was made from ("admin") or a template's placeholder, and a later
// source may.
func isPersonCredit(a, siteName string, base *url.URL) bool {
	return a != "" && !accountNames[strings.ToLower(a)] &&
		!sameName(a, siteName) && (base == nil || !sameName(a, base.Hostname()))
}

// accountNames are author values that CMSs and templates fill in when no
// one is credited: account roles and placeholders, never a person's name.
var accountNames = map[string]bool{
	"admin": true, "administrator": true, "administrador": true, "administrateur": true,
	"amministratore": true, "webmaster": true, "root": true, "user": true, "guest": true,
	"publisher": true, "author": true, "editor": true, "unknown": true, "anonymous": true,
	"anonym": true, "null": true, "none": true, "undefined": true, "n/a": true,
}

// withoutMarker reads the name from an author field written as a byline
// ("Von FOCUS-Online-Experte Robin Tschöpe", "By Jane Roe"); other values
// are returned as they are. A field that reads as a byline but yields no
// clear name gives none: a wrong author is worse than none. After a weak
// marker two names are needed, so that "Di Maio" stays a surname.
func withoutMarker(a string) string {
	if !startsByline(a) {
		return a
	}
	name := bylineLine(a)
	if name == "" {
		for _, mk := range weakMarkers {
			if hasPrefixFold(a, mk+" ") {
				return a
			}
		}
	}
	return name
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func collapse(s string) string {
	var w textWriter
	w.write(s)
	return w.String()
}

// bylineMarkers are the words that introduce an author's name in a byline,
// in the languages of the archive's sources: the weak markers that open a
// byline line, and the labels.
var bylineMarkers = append(slices.Clip(weakMarkers), "autor", "autorin", "author", "text")

// bylineName reads the author's name from a byline's text ("29 June 2017 ·
// by Jane Roe", "Von Anna Muster | Berlin"): the words after the last
// marker word, up to a separator; without a marker, the whole line when it
// looks like a name. It returns "" when no name is clear.
func bylineName(s string) string {
	words := strings.Fields(s)
	start := 0
	for i, w := range words {
		w = strings.ToLower(strings.TrimRight(w, ":"))
		for _, m := range bylineMarkers {
			if w == m {
				start = i + 1
			}
		}
	}
	// A job title between the marker and the name is not part of it.
	for start < len(words) && isRoleWord(words[start]) {
		start++
	}
	var name []string
	for _, w := range words[start:] {
		// A separator, a date or an address ends the name; a comma
		// ends it after its word ("Jane Roe, Berlin").
		if w == "-" || strings.ContainsAny(w, "|·•—–()0123456789@/") {
			break
		}
		if w := strings.TrimRight(w, ",;"); w != "" {
			name = append(name, w)
		}
		if strings.ContainsAny(w, ",;") {
			break
		}
	}
	if len(name) == 0 || len(name) > 4 {
		return ""
	}
	for _, w := range name {
		if r := []rune(w); !unicode.IsUpper(r[0]) {
			return ""
		}
	}
	return strings.Join(name, " ")
}
