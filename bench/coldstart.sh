#!/usr/bin/env bash
# Cold start and memory of `edgerun serve` (issue #16 item 5): builds edgerun
# once, then with bench/coldstart starts it RUNS times on examples/hello and
# times exec -> first 200 (wall, and the process's CPU then), and reads VmRSS,
# RssAnon and RssFile after IDLE; then the same on examples/pitchey against a
# throwaway PostgreSQL (bench/pgserver with its migrations), and on pitchey
# once more under LOAD_CONNS connections of database load for LOAD_DURATION
# (bench/pitchey.lua: reads and one write in ten), reading RSS after it.
#
# Usage: bench/coldstart.sh   (RUNS=7 IDLE=3s LOAD_CONNS=500 LOAD_DURATION=30s LOAD_RUNS=1)
# EDGERUN=path measures that binary instead of building this checkout (a
# baseline in the same sitting); SKIP_PITCHEY=1 measures hello only.
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-7}
IDLE=${IDLE:-3s}
LOAD_CONNS=${LOAD_CONNS:-500}
LOAD_DURATION=${LOAD_DURATION:-30s}
LOAD_RUNS=${LOAD_RUNS:-1}
cd "$ROOT"
if [ -n "${EDGERUN:-}" ]; then cp "$EDGERUN" "$BIN/edgerun"; else go build -o "$BIN/edgerun" ./cmd/edgerun; fi
go build -o "$BIN/coldstart" ./bench/coldstart
echo "coldstart.sh: $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg), binary $(du -m "$BIN/edgerun" | cut -f1) MB"
echo "== examples/hello"
"$BIN/coldstart" -binary "$BIN/edgerun" -config examples/hello/wrangler.toml -runs "$RUNS" -idle "$IDLE"
[ -n "${SKIP_PITCHEY:-}" ] && exit 0

need wrk wrk
go build -o "$BIN/pgserver" ./bench/pgserver
"$BIN/pgserver" -migrations examples/pitchey/migrations >"$BIN/pg.url" 2>"$BIN/pg.log" & PIDS+=($!)
pg_pid=$!
for _ in $(seq 1 1200); do
  [[ -s "$BIN/pg.url" ]] && break
  kill -0 "$pg_pid" 2>/dev/null || { echo "bench: PostgreSQL did not start:" >&2; cat "$BIN/pg.log" >&2; exit 1; }
  sleep 0.05
done
CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE=$(head -n1 "$BIN/pg.url")
export CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE
echo "== examples/pitchey (first request GET /api/users/1)"
"$BIN/coldstart" -binary "$BIN/edgerun" -config examples/pitchey/wrangler.toml -runs "$RUNS" -idle "$IDLE" -path /api/users/1
echo "== examples/pitchey under $LOAD_CONNS connections of database load for $LOAD_DURATION"
# wrk's summary goes to stderr with the measurements; non-2xx or socket errors fail the run.
"$BIN/coldstart" -binary "$BIN/edgerun" -config examples/pitchey/wrangler.toml -runs "$LOAD_RUNS" -idle "$IDLE" -path /api/users/1 \
  -load "out=\$(wrk -t$THREADS -c$LOAD_CONNS -d$LOAD_DURATION -s bench/pitchey.lua {url}) || exit 1; echo \"\$out\" | grep -E 'Requests/sec|requests in|Non-2xx|Socket errors' >&2; ! echo \"\$out\" | grep -qE 'Non-2xx|Socket errors'"
