# looklook — one Makefile for the whole workspace.
#
#   make generate   regenerate everything generated: protobuf/Connect code (buf), Ent code,
#                   protovalidate's validate.proto, the web app's TypeScript and bundle
#   make lint       buf lint, gofmt, go vet
#   make test       lint, generated-code freshness, every module's tests with -race against
#                   real PostgreSQL and Redis (LOOKLOOK_TEST_POSTGRES_URL, LOOKLOOK_TEST_REDIS_URL),
#                   and the browser tests in Debian's chromium
#   make run        the all-in-one launcher (same as: go run ./cmd/looklook)
#
# Tools are pinned here and installed on first use into .tools/bin (git-ignored).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

BUF_VERSION                   := v1.75.0
PROTOC_GEN_GO_VERSION         := v1.36.12
PROTOC_GEN_CONNECT_GO_VERSION := v1.21.1
GRPCURL_VERSION               := v1.9.4

ROOT  := $(CURDIR)
TOOLS := $(ROOT)/.tools/bin
BUF   := $(TOOLS)/buf
export PATH := $(TOOLS):$(PATH)

# Every module of the workspace, as directories (go test ./... does not cross modules).
MODULES = $(shell go list -m -f '{{.Dir}}')
# Services with Ent schemas.
ENT_SERVICES := services/identity services/usercenter services/travel
# What `make generate` writes; check-generated compares exactly these.
GENERATED := gen proto/buf $(addsuffix /ent,$(ENT_SERVICES))

.PHONY: help
help:
	@grep -E '^#   make' Makefile | sed 's/^#   //'

# --- tools -----------------------------------------------------------------------------------

$(TOOLS)/buf:
	GOBIN=$(TOOLS) go install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)
$(TOOLS)/protoc-gen-go:
	GOBIN=$(TOOLS) go install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
$(TOOLS)/protoc-gen-connect-go:
	GOBIN=$(TOOLS) go install connectrpc.com/connect/cmd/protoc-gen-connect-go@$(PROTOC_GEN_CONNECT_GO_VERSION)
$(TOOLS)/grpcurl:
	GOBIN=$(TOOLS) go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)

.PHONY: tools
tools: $(TOOLS)/buf $(TOOLS)/protoc-gen-go $(TOOLS)/protoc-gen-connect-go

# --- generate --------------------------------------------------------------------------------

.PHONY: generate generate-go generate-proto generate-ent
generate: generate-go web-generate
generate-go: generate-proto generate-ent

generate-proto: tools
	go run ./tools/validateproto proto/buf/validate/validate.proto
	rm -rf gen/looklook
	$(BUF) generate

generate-ent:
	@for s in $(ENT_SERVICES); do \
	  if [ -f $$s/ent/generate.go ]; then echo "ent: $$s"; (cd $$s && go generate ./ent); fi; \
	done

# check-generated regenerates into a scratch copy of the tree and fails if anything differs,
# so a stale gen/ or ent/ directory fails CI without touching the working tree.
.PHONY: check-generated
check-generated: tools
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	git ls-files -z -co --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$$tmp"; \
	$(MAKE) -s -C "$$tmp" TOOLS=$(TOOLS) generate-go >/dev/null; \
	status=0; for d in $(GENERATED); do \
	  if [ -e "$$d" ] || [ -e "$$tmp/$$d" ]; then \
	    diff -r -q "$$d" "$$tmp/$$d" || status=1; \
	  fi; \
	done; \
	if [ $$status -ne 0 ]; then echo "generated code is stale: run 'make generate' and commit the result"; exit 1; fi; \
	echo "generated code is fresh"

# --- lint and test ---------------------------------------------------------------------------

.PHONY: lint
lint: $(TOOLS)/buf
	$(BUF) lint
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@for m in $(MODULES); do (cd $$m && go vet ./...) || exit 1; done
	@# go.mod and go.sum must be what `go mod tidy` makes of them (it prints the difference).
	@for m in $(MODULES); do (cd $$m && go mod tidy -diff) || { echo "run 'go mod tidy' in $$m"; exit 1; }; done

.PHONY: test
test: lint check-generated web-check test-go web-test

.PHONY: test-go
test-go:
	@for m in $(MODULES); do \
	  echo "== go test $${m#$(ROOT)/}"; \
	  (cd $$m && go test -race -count=1 -timeout 20m ./...) || exit 1; \
	done

.PHONY: test-short
test-short:
	@for m in $(MODULES); do (cd $$m && go test -short -count=1 ./...) || exit 1; done

# --- benchmarks ------------------------------------------------------------------------------

.PHONY: bench bench-quick
bench:
	go run ./cmd/looklook-bench
bench-quick:
	go run ./cmd/looklook-bench -quick

# --- web app ---------------------------------------------------------------------------------

include web/web.mk

# --- run -------------------------------------------------------------------------------------

.PHONY: run
run:
	go run ./cmd/looklook

.PHONY: grpcurl
grpcurl: $(TOOLS)/grpcurl
	@echo "installed $(TOOLS)/grpcurl"
