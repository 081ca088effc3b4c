// Package extract turns a news page into its article: clean body text plus
// metadata (title, author, published date, site name, language, canonical URL).
//
// The body is found without site knowledge, in one parse and a few linear
// passes over the tree:
//
//   - Comments, scripts (JSON-LD excepted), styles and SVG are cut from the
//     bytes before parsing; invisible elements are skipped.
//   - Every run of inline text (a "text block") is weighed: prose counts for
//     the article, link text and short unpunctuated labels count against it.
//     Furniture — nav/aside/footer/form, hidden elements, boxes whose class or
//     id names widgets (share, related, comments, newsletter, cookie…), and
//     lists of linked teaser cards — counts against whatever holds it. A
//     class name yields when its element holds half the page's prose.
//   - The element whose subtree weighs most is the article body; a lone
//     paragraph widens to its box when that box holds clearly more prose.
//     Prose between the headline and the body (the standfirst) is added.
//   - Inside the body, furniture, link-dense or label-only containers,
//     picture captions (unless Options.KeepCaptions), link-only blocks, the
//     <h1>, headings left without text, repeated paragraphs, short lines
//     bearing ©, and unpunctuated label lines before the first and after the
//     last sentence are dropped. The rest is rendered one paragraph per block.
//
// Metadata comes from <meta>/og:/twitter: tags, JSON-LD, itemprop and the
// <title>/<h1>; the title loses its site-name prefix or suffix.
//
// All tree walks are iterative, and pages nested deeper than the parser
// accepts are flattened first, so no input can exhaust the stack.
package extract
