// Package extract turns a news page into its article: clean body text plus
// metadata (title, author, published date, site name, language, canonical URL).
//
// The body is found without site knowledge. Every run of inline text on the
// page (a "text block") is weighed by its length, link density and sentence
// punctuation: prose counts for the article, link lists and short labels count
// against it. The element whose subtree has the highest total becomes the
// article; inside it, containers that look like boilerplate by structure
// (link-heavy lists, widgets marked by class/id, forms, hidden elements) are
// dropped before the text is rendered paragraph by paragraph.
//
// All tree walks are iterative, so deeply nested input cannot exhaust the stack.
package extract
