# The browser app (web/): included by the root Makefile, which defines TOOLS and BUF.
#
#   make web-generate   npm ci if needed, TypeScript from the protos (web/src/gen), typecheck,
#                       bundle into web/dist (committed; embedded in the BFF by web/embed.go)
#   make web-check      rebuild into a scratch copy and fail if web/dist or web/src/gen are stale
#   make web-test       browser tests: Debian's chromium (installed if missing) driven by
#                       playwright-core against the launcher built from this tree

.PHONY: web-generate web-check web-test
web-generate: $(TOOLS)/buf
	BUF=$(BUF) web/scripts/web.sh generate

web-check: $(TOOLS)/buf
	BUF=$(BUF) web/scripts/web.sh check

web-test:
	web/scripts/web.sh test
