#!/usr/bin/env bash
# Throughput of edgerun's hyperdrive-app worker (GET /item?id=N through
# env.HYPERDRIVE: one indexed SELECT per request, a pool of 10 connections)
# vs bench/barequery (plain fasthttp + pgxpool doing the same query), measured
# in the same run with wrk on loopback against a throwaway PostgreSQL.
# Requests spread over ids 1..1000 (bench/item.lua).
#
# edgerun runs twice: with the fixture as it is (Hyperdrive's query cache on,
# its default, so after warm-up reads are answered from the cache), and with a
# copy of the fixture that sets [hyperdrive.caching] disabled = true (every
# request queries PostgreSQL, like the baseline).
#
# A fourth server, edgerun serving examples/hello with the same wrk script, is
# the baseline for the query cache (issue: cached read >= 0.8x hello).
#
# Usage: bench/query.sh   (DURATION=10s WARMUP=3s CONNS_LIST="50 500" THREADS=2 ROUNDS=1)
# ROUNDS>1 measures the three servers in turn that many times and keeps each
# one's best req/s: on a shared machine the least disturbed run is the signal.
# Exits 1 if any request failed (non-2xx or socket errors).
source "$(dirname "$0")/lib.sh"
need wrk wrk
CONNS_LIST=${CONNS_LIST:-"50 500"}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-1}
TARGET=0.7
CACHE_TARGET=0.8
FIXTURE=testdata/workers/hyperdrive-app
cd "$ROOT"
go build -o "$BIN/edgerun" ./cmd/edgerun
go build -o "$BIN/barequery" ./bench/barequery

# Throwaway PostgreSQL with the fixture's migrations applied (lib.sh).
start_pg "$FIXTURE/migrations"

mkdir "$BIN/nocache"
cp -r "$FIXTURE/index.js" "$FIXTURE/migrations" "$BIN/nocache/"
{ cat "$FIXTURE/wrangler.toml"; printf '\n[hyperdrive.caching]\ndisabled = true\n'; } >"$BIN/nocache/wrangler.toml"

# name -> port, pid; the name is also the log file's.
SERVERS=(barequery edgerun edgerun-nocache edgerun-hello)
declare -A PORT=([barequery]=18792 [edgerun]=18793 [edgerun-nocache]=18794 [edgerun-hello]=18795) PID=()
pool=$(awk -F= '/^origin_connection_limit/ {gsub(/ /, "", $2); print $2}' "$FIXTURE/wrangler.toml")
"$BIN/barequery" -addr "127.0.0.1:${PORT[barequery]}" -dsn "$DSN" -pool "${pool:-10}" 2>"$BIN/barequery.log" & PIDS+=($!)
PID[barequery]=$!
export CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE="$DSN"
"$BIN/edgerun" serve -c "$FIXTURE/wrangler.toml" --port "${PORT[edgerun]}" --log-level warn 2>"$BIN/edgerun.log" & PIDS+=($!)
PID[edgerun]=$!
"$BIN/edgerun" serve -c "$BIN/nocache/wrangler.toml" --port "${PORT[edgerun-nocache]}" --log-level warn 2>"$BIN/edgerun-nocache.log" & PIDS+=($!)
PID[edgerun-nocache]=$!
"$BIN/edgerun" serve -c examples/hello/wrangler.toml --port "${PORT[edgerun-hello]}" --log-level warn 2>"$BIN/edgerun-hello.log" & PIDS+=($!)
PID[edgerun-hello]=$!
for s in "${SERVERS[@]}"; do wait_http "http://127.0.0.1:${PORT[$s]}/item?id=1"; done

# The three must answer the same bytes before their speed means anything.
for id in 1 500 1000; do
  want=$(curl -fsS "http://127.0.0.1:${PORT[barequery]}/item?id=$id")
  for s in edgerun edgerun-nocache; do
    got=$(curl -fsS "http://127.0.0.1:${PORT[$s]}/item?id=$id")
    [[ "$got" == "$want" ]] || { echo "bench: $s /item?id=$id answered $got, barequery $want" >&2; exit 1; }
  done
done

TICK=$(getconf CLK_TCK)
FAILED=0
# load SERVER CONNS -> sets RPS, P99, CPU (server CPU µs per request), ERRS
# ("non-2xx/socket"); warms first.
load() {
  local url="http://127.0.0.1:${PORT[$1]}/" out non2xx sock before after n
  wrk -t"$THREADS" -c"$2" -d"$WARMUP" -s bench/item.lua "$url" >/dev/null
  before=$(cpu_ticks "${PID[$1]}")
  out=$(wrk -t"$THREADS" -c"$2" -d"$DURATION" --latency -s bench/item.lua "$url")
  after=$(cpu_ticks "${PID[$1]}")
  RPS=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  P99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  CPU=$(awk -v t=$((after - before)) -v hz="$TICK" -v n="$n" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  ERRS="${non2xx:-0}/${sock:-0}"
  if [[ "$ERRS" != "0/0" ]]; then
    FAILED=1
    {
      echo "!!!!!!!! bench: $1 with $2 connections: $ERRS non-2xx/socket errors !!!!!!!!"
      echo "$out"
    } >&2
  fi
}

echo "query.sh: duration=$DURATION warmup=$WARMUP rounds=$ROUNDS wrk threads=$THREADS pool=${pool:-10} cpus=$(nproc)"
declare -A best=() p99=() cpu=() errs=()
for conns in $CONNS_LIST; do
  for ((round = 1; round <= ROUNDS; round++)); do
    for s in "${SERVERS[@]}"; do
      load "$s" "$conns"
      if ((RPS > ${best[$s/$conns]:-0})); then best[$s/$conns]=$RPS p99[$s/$conns]=$P99 cpu[$s/$conns]=$CPU; fi
      errs[$s/$conns]="${errs[$s/$conns]:+${errs[$s/$conns]},}$ERRS"
    done
  done
done

echo
printf '%-6s | %-11s | %-13s %-6s | %-15s %-6s | %-11s %-13s | %s\n' conns "bare req/s" "edgerun req/s" ratio \
  "no-cache req/s" ratio "hello req/s" "cached/hello" "non-2xx/socket errors: bare, edgerun, no-cache, hello"
for conns in $CONNS_LIST; do
  bare=${best[barequery/$conns]}
  printf '%-6s | %-11s | %-13s %-6s | %-15s %-6s | %-11s %-13s | %s; %s; %s; %s\n' "$conns" "$bare" \
    "${best[edgerun/$conns]}" "$(ratio "${best[edgerun/$conns]}" "$bare")" \
    "${best[edgerun-nocache/$conns]}" "$(ratio "${best[edgerun-nocache/$conns]}" "$bare")" \
    "${best[edgerun-hello/$conns]}" "$(ratio "${best[edgerun/$conns]}" "${best[edgerun-hello/$conns]}")" \
    "${errs[barequery/$conns]}" "${errs[edgerun/$conns]}" "${errs[edgerun-nocache/$conns]}" "${errs[edgerun-hello/$conns]}"
done
echo
printf '%-6s | %-16s | %-10s | %s\n' conns server "p99" "server CPU µs/request (PostgreSQL's not included)"
for conns in $CONNS_LIST; do
  for s in "${SERVERS[@]}"; do
    printf '%-6s | %-16s | %-10s | %s\n' "$conns" "$s" "${p99[$s/$conns]}" "${cpu[$s/$conns]}"
  done
done
echo
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t) ? "meets" : "BELOW" }'; }
for conns in $CONNS_LIST; do
  r=$(ratio "${best[edgerun/$conns]}" "${best[barequery/$conns]}")
  echo "ratio edgerun/bare at $conns connections: $r ($(verdict "$r" "$TARGET") target >= $TARGET)"
  r=$(ratio "${best[edgerun-nocache/$conns]}" "${best[barequery/$conns]}")
  echo "ratio edgerun-nocache/bare at $conns connections: $r ($(verdict "$r" "$TARGET") like-for-like target >= $TARGET)"
  r=$(ratio "${best[edgerun/$conns]}" "${best[edgerun-hello/$conns]}")
  echo "ratio cached/hello at $conns connections: $r ($(verdict "$r" "$CACHE_TARGET") target >= $CACHE_TARGET)"
done

if ((FAILED)); then
  echo "!!!!!!!! bench: requests failed; server logs follow !!!!!!!!" >&2
  for s in "${SERVERS[@]}"; do
    echo "--- $s (last 50 lines) ---" >&2
    tail -n 50 "$BIN/$s.log" >&2
  done
  exit 1
fi
