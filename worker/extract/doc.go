// Package extract turns a news page into its article: clean body text plus
// metadata (title, author, published date, site name, language, canonical URL).
//
// The body is found without site knowledge, in one parse and a few linear
// passes over the tree:
//
//   - Comments, scripts (JSON-LD and HTML templates excepted), styles and SVG
//     are cut from the bytes before parsing; invisible elements are skipped.
//     An HTML template inside the element that declares itself the article
//     body (itemprop=articleBody) is parsed in its place.
//   - Every run of inline text (a "text block") is weighed: prose counts for
//     the article, link text and short lines that do not end like a sentence
//     (labels) count against it. Furniture — nav/aside/footer/form, hidden
//     elements, boxes whose class, id or custom-element name names widgets
//     (share, related, comments, newsletter, cookie…), and lists of linked
//     teaser cards — counts against whatever holds it. A class name yields
//     when its element holds paragraphs making half the page's prose; a weak
//     class word (info, extra, more, meta) yields to clean prose; and when
//     the class names leave no candidate at all they are dropped (a forum's
//     posts are "comments").
//   - The element whose subtree weighs most is the article body; a lone
//     paragraph widens to its box when that box holds clearly more prose.
//     Its siblings of the same tag and class that hold prose are the rest of
//     an article split by ads or embeds. Prose between the headline and the
//     body (the standfirst) is added.
//   - Inside the body, furniture, link-dense or label-only containers,
//     picture captions (unless Options.KeepCaptions; a series of pictures
//     each with its paragraph is text), link-only blocks, the <h1>, headings
//     left without text, repeated paragraphs and short lines bearing © are
//     dropped. Before the first sentence, label lines go; after the last, a
//     contact block (e-mail addresses, phone numbers), short paragraphs that
//     are largely links (pointers away from the story) and label or date
//     lines go, unless they are a long list set line by line in one block.
//     The rest is rendered one paragraph per block.
//
// Metadata comes from <meta>/og:/twitter: tags, JSON-LD, itemprop, the
// <title>/<h1> and the URL's /YYYY/MM/DD/; the title loses its site-name
// prefix or suffix, the site named as its own author is passed over, and a
// text that declares no language gets one guessed from its function words
// or its script.
//
// All tree walks are iterative, and pages nested deeper than the parser
// accepts are flattened first, so no input can exhaust the stack.
package extract
