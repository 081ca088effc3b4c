# Developer targets. The tests themselves run with `go test ./...`; these are
# the slower checks that CI does not run on every change.

FUZZTIME ?= 60s
BENCH ?= .
BENCHPKGS ?= ./worker/internal/crashtest

# Every fuzz target, as package:Target. `go test ./...` runs their seed
# corpora (testdata/fuzz/) as ordinary tests.
FUZZERS = \
	worker/extract:FuzzExtract \
	worker/article:FuzzCleanPage \
	worker/charset:FuzzDecode \
	worker/textnorm:FuzzNormalize \
	worker/textnorm:FuzzHash \
	worker/urlnorm:FuzzCanonical \
	worker/urlnorm:FuzzCanonicalKeepsArticlesApart \
	worker/feedlist:FuzzFeedlistParse \
	worker/feedlist:FuzzParseOPML \
	worker/feed:FuzzParse \
	worker/feed:FuzzBound \
	worker/htmlparse:FuzzSameTree \
	worker/htmlparse:FuzzSameTokens

.PHONY: fuzz bench

# make fuzz FUZZTIME=60s: run each fuzzer in turn for FUZZTIME; a crasher is
# written to the package's testdata/fuzz/ and the target fails at the end.
fuzz:
	@failed=""; for f in $(FUZZERS); do \
		pkg=$${f%%:*}; name=$${f##*:}; \
		echo "== $$name in $$pkg for $(FUZZTIME)"; \
		go test ./$$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) || failed="$$failed $$name"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzzers that failed:$$failed"; exit 1; fi

# make bench: resource-bound benchmarks (peak heap of hostile inputs);
# BENCHPKGS=./... BENCH=. runs every benchmark in the repository.
bench:
	go test $(BENCHPKGS) -run '^$$' -bench '$(BENCH)' -benchtime 1x
