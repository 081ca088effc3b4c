#!/bin/sh
# resync.sh DIR: writes into DIR the mechanical copy of x/net/html's tree
# builder at the version in go.mod (files copied, package renamed, names of
# package html qualified). Diff DIR against this package to see every
# wiresift change; to re-sync, apply that diff to a fresh DIR. See doc.go.
set -eu
out=${1:?usage: resync.sh DIR}
src=$(go list -m -f '{{.Dir}}' golang.org/x/net)/html
mkdir -p "$out"
cp "$src/parse.go" "$src/foreign.go" "$src/const.go" "$src/doctype.go" "$out/"
cp "$src/../LICENSE" "$out/LICENSE"
# node.go: only the parser's private parts (scope marker, stacks, clone).
{
	sed -n '1,10p' "$src/node.go"
	sed -n '/^\/\/ Section 12.2.4.3 says/,/^var scopeMarker/p' "$src/node.go"
	echo
	sed -n '/^\/\/ reparentChildren/,$p' "$src/node.go"
} >"$out/node.go"
# The tokenizer: token.go, with escape.go's unescaping and entity.go for it.
cp "$src/token.go" "$src/escape.go" "$src/entity.go" "$out/"
chmod u+w "$out"/*
# The tokenizer's type is private here; its token types stay package html's.
sed -i 's/\bTokenizer\b/tokenizer/g; s/\bNewTokenizer\(Fragment\)\?\b/newTokenizer\1/g' "$out/token.go"
for f in "$out"/*.go; do
	sed -i 's/^package html$/package htmlparse/' "$f"
	for id in Node NodeType ErrorNode TextNode DocumentNode ElementNode CommentNode DoctypeNode RawNode \
		Attribute Token TokenType ErrorToken TextToken StartTagToken EndTagToken SelfClosingTagToken \
		CommentToken DoctypeToken Tokenizer NewTokenizer NewTokenizerFragment ErrBufferExceeded; do
		gofmt -r "$id -> html.$id" -w "$f"
	done
	if grep -q '\bhtml\.[A-Z]' "$f"; then
		sed -i '0,/^import (/s//import (\n\t"golang.org\/x\/net\/html"/' "$f"
		sed -i '0,/^import "\(.*\)"$/s//import (\n\t"golang.org\/x\/net\/html"\n\t"\1"\n)/' "$f"
		grep -q '^import' "$f" || sed -i 's/^package htmlparse$/&\n\nimport "golang.org\/x\/net\/html"/' "$f"
	fi
	gofmt -w "$f"
done
