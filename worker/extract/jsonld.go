package extract

import (
	"encoding/json"
	"strings"
)

// ldData is what JSON-LD (schema.org) blocks say about the article.
type ldData struct {
	headline, author, published, siteName, body, lang string
}

// articleTypes are the schema.org types whose fields describe the page's article.
var articleTypes = []string{"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "report", "webpage", "posting"}

// parse reads one JSON-LD block. Broken JSON is common on real pages and is
// ignored: structured data is a hint, never a requirement.
func (d *ldData) parse(src string) {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(src)), &v); err != nil {
		return
	}
	// Iterative walk over nested objects, lists and @graph.
	stack := []any{v}
	for steps := 0; len(stack) > 0 && steps < 10000; steps++ {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch t := x.(type) {
		case []any:
			stack = append(stack, t...)
		case map[string]any:
			if g, ok := t["@graph"]; ok {
				stack = append(stack, g)
			}
			d.take(t)
		}
	}
}

func (d *ldData) take(o map[string]any) {
	typ := strings.ToLower(ldString(o["@type"]))
	isArticle := false
	for _, a := range articleTypes {
		if strings.Contains(typ, a) {
			isArticle = true
		}
	}
	if !isArticle {
		if strings.Contains(typ, "organization") || typ == "website" {
			if d.siteName == "" && typ == "website" {
				d.siteName = ldString(o["name"])
			}
		}
		return
	}
	article := typ != "webpage"
	set := func(dst *string, v string) {
		if *dst == "" && v != "" {
			*dst = v
		}
	}
	if article {
		set(&d.headline, ldString(o["headline"]))
		set(&d.body, ldString(o["articleBody"]))
	}
	set(&d.published, ldString(o["datePublished"]))
	set(&d.author, ldName(o["author"]))
	set(&d.siteName, ldName(o["publisher"]))
	set(&d.lang, ldString(o["inLanguage"]))
}

// ldString returns a string field, or the first string of a list.
func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case []any:
		for _, x := range t {
			if s := ldString(x); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldName returns the name of a Person/Organization value (object, list or
// plain string), joining several authors with ", ".
func ldName(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case map[string]any:
		return ldString(t["name"])
	case []any:
		var names []string
		for _, x := range t {
			if s := ldName(x); s != "" {
				names = append(names, s)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}
