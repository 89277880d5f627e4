#!/usr/bin/env bash
# Builds, checks and tests the browser app. Called by web/web.mk (make web-generate, web-check,
# web-test) and usable directly:
#
#   web/scripts/web.sh generate   npm ci when needed, TypeScript from the protos, typecheck, bundle
#   web/scripts/web.sh check      the same into a scratch copy; fail if web/dist or web/src/gen differ
#   web/scripts/web.sh test       install Debian's chromium if missing, then the browser tests
#
# BUF names the buf binary (default: .tools/bin/buf, which the root Makefile installs).
set -euo pipefail

web="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(dirname "$web")"
BUF="${BUF:-$root/.tools/bin/buf}"

# install runs npm ci when node_modules is missing or older than the lockfile. npm ci writes
# node_modules/.package-lock.json, so its age says when the tree was last installed.
install() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# build regenerates src/gen from ../proto and bundles into dist/, in the web directory $1 whose
# sibling proto/ holds the protos.
build() {
  local dir="$1"
  if [ ! -x "$BUF" ]; then
    echo "web: $BUF not found: run 'make tools' first" >&2
    exit 1
  fi
  (cd "$dir" && "$BUF" generate --template buf.gen.yaml)
  (cd "$dir" && npm run --silent build)
}

generate() {
  install "$web"
  build "$web"
}

check() {
  install "$web"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # The scratch copy holds the sources only; node_modules is installed there from the lockfile
  # (npm's cache makes that quick), so a dist built from anything else is caught.
  mkdir -p "$tmp/web"
  (cd "$web" && tar --exclude=./node_modules --exclude=./dist --exclude=./src/gen --exclude=./test-results -cf - .) | tar -xf - -C "$tmp/web"
  cp -R "$root/proto" "$tmp/proto"
  cp "$root/buf.yaml" "$tmp/buf.yaml"
  (cd "$tmp/web" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline)
  build "$tmp/web" >/dev/null
  local status=0
  diff -r -q "$web/src/gen" "$tmp/web/src/gen" || status=1
  diff -r -q "$web/dist" "$tmp/web/dist" || status=1
  if [ "$status" -ne 0 ]; then
    echo "web: the committed bundle or generated TypeScript is stale: run 'make web-generate' and commit web/dist and web/src/gen" >&2
    exit 1
  fi
  echo "web: dist and src/gen are fresh"
}

test_browser() {
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "web: chromium is missing; install Debian's 'chromium' package (as root: apt-get install -y chromium)" >&2
      exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  install "$web"
  node "$web/e2e/run.mjs"
}

case "${1:-}" in
  generate) generate ;;
  check) check ;;
  test) test_browser ;;
  *)
    echo "usage: $0 generate|check|test" >&2
    exit 2
    ;;
esac
