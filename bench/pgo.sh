#!/usr/bin/env bash
# Regenerates cmd/edgerun/default.pgo, the CPU profile that `go build` uses
# for profile-guided optimisation of edgerun (Go picks default.pgo up by
# itself for every build of the main package; see bench/README.md).
#
# It profiles `edgerun serve` through the admin listener's /debug/pprof while
# wrk drives the three workloads of the benchmarks: the hello worker, and the
# hyperdrive-app fixture's /item route with the query cache on and off, on a
# throwaway PostgreSQL. Run it after changes to the request path, and commit
# the new profile with them.
#
# Usage: bench/pgo.sh   (SECONDS_EACH=10 CONNS=50)
source "$(dirname "$0")/lib.sh"
need wrk wrk
SECONDS_EACH=${SECONDS_EACH:-10}
CONNS=${CONNS:-50}
FIXTURE=testdata/workers/hyperdrive-app
cd "$ROOT"
# The profile must come from a build that did not use the old one.
go build -pgo=off -o "$BIN/edgerun" ./cmd/edgerun
go build -o "$BIN/pgserver" ./bench/pgserver

"$BIN/pgserver" -migrations "$FIXTURE/migrations" >"$BIN/pg.url" 2>"$BIN/pg.log" & PIDS+=($!)
for _ in $(seq 1 1200); do [[ -s "$BIN/pg.url" ]] && break; sleep 0.05; done
DSN=$(head -n1 "$BIN/pg.url")
[[ -n "$DSN" ]] || { echo "pgo: PostgreSQL did not start:" >&2; cat "$BIN/pg.log" >&2; exit 1; }
export CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE="$DSN"

mkdir "$BIN/nocache"
cp -r "$FIXTURE/index.js" "$FIXTURE/migrations" "$BIN/nocache/"
{ cat "$FIXTURE/wrangler.toml"; printf '\n[hyperdrive.caching]\ndisabled = true\n'; } >"$BIN/nocache/wrangler.toml"

# profile NAME CONFIG: one workload, SECONDS_EACH seconds of CPU profile.
profile() {
  local port=18796 admin=18797 pid
  "$BIN/edgerun" serve -c "$2" --port $port --admin 127.0.0.1:$admin --pprof --log-level warn 2>"$BIN/$1.log" &
  pid=$!
  PIDS+=($pid)
  wait_http "http://127.0.0.1:$port/item?id=1"
  wrk -t"$THREADS" -c"$CONNS" -d2s -s bench/item.lua "http://127.0.0.1:$port/" >/dev/null
  wrk -t"$THREADS" -c"$CONNS" -d"$((SECONDS_EACH + 2))s" -s bench/item.lua "http://127.0.0.1:$port/" >/dev/null &
  local load=$!
  curl -fsS -o "$BIN/$1.pprof" "http://127.0.0.1:$admin/debug/pprof/profile?seconds=$SECONDS_EACH"
  wait $load
  kill $pid
  wait $pid 2>/dev/null || true
}
profile hello examples/hello/wrangler.toml
profile cached "$FIXTURE/wrangler.toml"
profile nocache "$BIN/nocache/wrangler.toml"
go tool pprof -proto "$BIN/hello.pprof" "$BIN/cached.pprof" "$BIN/nocache.pprof" >cmd/edgerun/default.pgo
echo "pgo: wrote cmd/edgerun/default.pgo ($(wc -c <cmd/edgerun/default.pgo) bytes)"
