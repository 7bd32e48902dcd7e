#!/usr/bin/env bash
# Soak of edgerun under mixed hostile traffic (issue #11): builds edgerun and
# bench/soak, then runs the soak (2 minutes by default) against a throwaway
# PostgreSQL and `edgerun serve` on testdata/workers/soak, both on loopback.
# Prints the table per request kind, max RSS against the bound and the checks;
# exits 1 if a check failed, 2 if the soak could not run.
#
# Usage: bench/soak.sh [bench/soak flags]     (DURATION=2m SEED=<n> CONNS=8)
#   e.g. DURATION=30s bench/soak.sh -kinds '^(alloc|builtin)-'
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
cd "$ROOT"
go build -o "$BIN/edgerun" ./cmd/edgerun
go build -o "$BIN/soak" ./bench/soak
args=(-binary "$BIN/edgerun" -duration "${DURATION:-2m}" -conns "${CONNS:-8}")
[[ -n "${SEED:-}" ]] && args+=(-seed "$SEED")
"$BIN/soak" "${args[@]}" "$@"
