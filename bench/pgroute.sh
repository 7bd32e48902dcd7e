#!/usr/bin/env bash
# The pg-driver route of issue #15: testdata/apps/bench served by one
# `edgerun serve`, GET /pg?id=N (node-postgres, a new Client per request on
# env.HYPERDRIVE.connectionString: the local Hyperdrive), /pg-direct?id=N (the
# same with the connection string pointing straight at PostgreSQL, what
# wrangler dev gives a driver) and /prepare?id=N (env.HYPERDRIVE.prepare()),
# each one SELECT by primary key, with wrk on loopback against a throwaway
# PostgreSQL, in the same run. The query cache is off
# ([hyperdrive.caching] disabled = true), so every request queries PostgreSQL.
# Requests spread over ids 1..1000 (bench/item.lua).
#
# It reports req/s, p99, non-2xx and socket errors, the server's CPU per
# request, and the server connections PostgreSQL opened per request
# (pg_stat_database.sessions over the measured run).
#
# Usage: bench/pgroute.sh   (DURATION=10s WARMUP=3s CONNS_LIST="50 500" THREADS=2 TIMEOUT=2s;
#        EDGERUN=/path/to/edgerun measures that binary, a baseline, instead of building one)
# Exits 1 if a request to /pg or /prepare failed. /pg-direct's errors are
# reported, not fatal: at 500 connections it asks PostgreSQL for more
# connections than max_connections allows, as wrangler dev would.
source "$(dirname "$0")/lib.sh"
need wrk wrk
need psql postgresql-client
CONNS_LIST=${CONNS_LIST:-"50 500"}
WARMUP=${WARMUP:-3s}
TIMEOUT=${TIMEOUT:-2s} # wrk's: a request slower than this counts as a socket error (timeout)
APP=testdata/apps/bench
ROUTES=(pg pg-direct prepare)
PORT=18796
cd "$ROOT"
if [[ ! -f testdata/apps/node_modules/pg/package.json ]]; then
  need npm npm
  (cd testdata/apps && npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ -n "${EDGERUN:-}" ]]; then cp "$EDGERUN" "$BIN/edgerun"; else go build -o "$BIN/edgerun" ./cmd/edgerun; fi

# Throwaway PostgreSQL (lib.sh); edgerun applies the app's migrations_dir itself.
start_pg

# The app's configuration with absolute paths and the cache off.
abs=$(cd "$APP" && pwd)
sed -e "s|^main = .*|main = \"$abs/src/index.js\"|" -e "s|^migrations_dir = .*|migrations_dir = \"$abs/../migrations\"|" \
  "$APP/wrangler.toml" >"$BIN/wrangler.toml"
printf '\n[hyperdrive.caching]\ndisabled = true\n' >>"$BIN/wrangler.toml"

CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE="$DSN" "$BIN/edgerun" serve -c "$BIN/wrangler.toml" \
  --port "$PORT" --var "DIRECT_URL:$DSN" --log-level warn 2>"$BIN/edgerun.log" & PIDS+=($!)
SERVER=$!
wait_http "http://127.0.0.1:$PORT/prepare?id=1"
psql -qX "$DSN" -c "INSERT INTO users (name, email) SELECT 'user ' || i, 'u' || i || '@example.com' FROM generate_series(1, 1000) AS i" >/dev/null

# The three must answer the same bytes before their speed means anything.
for id in 1 500 1000; do
  want=$(curl -fsS "http://127.0.0.1:$PORT/prepare?id=$id")
  [[ "$want" == *"\"id\":$id"* ]] || { echo "bench: /prepare?id=$id answered $want" >&2; exit 1; }
  for r in pg pg-direct; do
    got=$(curl -fsS "http://127.0.0.1:$PORT/$r?id=$id")
    [[ "$got" == "$want" ]] || { echo "bench: /$r?id=$id answered $got, /prepare $want" >&2; exit 1; }
  done
done

# sessions -> pg_stat_database.sessions of the database once it has settled
# (a session is counted when it ends, and the server flushes its statistics).
sessions() {
  local last=-1 n
  for _ in $(seq 1 60); do
    # After /pg-direct at 500 connections the server may still be full: try again.
    n=$(psql -qXtA "$DSN" -c "SELECT pg_stat_clear_snapshot()" -c "SELECT sessions FROM pg_stat_database WHERE datname = current_database()" 2>/dev/null | tail -n1) || n=""
    [[ -z "$n" ]] && { sleep 0.5; continue; }
    [[ "$n" == "$last" ]] && { echo "$n"; return; }
    last=$n
    sleep 0.2
  done
  echo "$last"
}

TICK=$(getconf CLK_TCK)
FAILED=0
# load ROUTE CONNS -> sets RPS, P99, CPU (server CPU µs per request), ERRS
# ("non-2xx/socket"), SESS (server sessions opened per request); warms first.
load() {
  local url="http://127.0.0.1:$PORT/" out non2xx sock before after n s0 s1
  wrk -t"$THREADS" -c"$2" -d"$WARMUP" --timeout "$TIMEOUT" -s bench/item.lua "$url" -- "/$1" >/dev/null
  s0=$(sessions)
  before=$(cpu_ticks "$SERVER")
  out=$(wrk -t"$THREADS" -c"$2" -d"$DURATION" --timeout "$TIMEOUT" --latency -s bench/item.lua "$url" -- "/$1")
  after=$(cpu_ticks "$SERVER")
  s1=$(sessions)
  RPS=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  P99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  CPU=$(awk -v t=$((after - before)) -v hz="$TICK" -v n="$n" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')
  SESS=$(awk -v s=$((s1 - s0)) -v n="$n" 'BEGIN { printf "%.3f", s / n }')
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  ERRS="${non2xx:-0}/${sock:-0}"
  if [[ "$ERRS" != "0/0" && "$1" != "pg-direct" ]]; then
    FAILED=1
    {
      echo "!!!!!!!! bench: /$1 with $2 connections: $ERRS non-2xx/socket errors !!!!!!!!"
      echo "$out"
    } >&2
  fi
}

echo "pgroute.sh: duration=$DURATION warmup=$WARMUP timeout=$TIMEOUT wrk threads=$THREADS cpus=$(nproc) cache=off"
declare -A rps=() p99=() cpu=() errs=() sess=()
for conns in $CONNS_LIST; do
  for r in "${ROUTES[@]}"; do
    load "$r" "$conns"
    rps[$r/$conns]=$RPS p99[$r/$conns]=$P99 cpu[$r/$conns]=$CPU errs[$r/$conns]=$ERRS sess[$r/$conns]=$SESS
  done
done

echo
printf '%-6s | %-10s | %-9s | %-9s | %-13s | %-21s | %s\n' conns route "req/s" p99 "CPU µs/req" "non-2xx/socket errors" "server sessions/req"
for conns in $CONNS_LIST; do
  for r in "${ROUTES[@]}"; do
    printf '%-6s | %-10s | %-9s | %-9s | %-13s | %-21s | %s\n' "$conns" "/$r" "${rps[$r/$conns]}" "${p99[$r/$conns]}" \
      "${cpu[$r/$conns]}" "${errs[$r/$conns]}" "${sess[$r/$conns]}"
  done
done
echo
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r != "n/a" && r >= t) ? "meets" : "BELOW" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
for conns in $CONNS_LIST; do
  r=$(ratio "${rps[pg/$conns]}" "${rps[pg-direct/$conns]:-0}")
  echo "pg through the local Hyperdrive / pg straight to PostgreSQL at $conns connections: $r ($(verdict "$r" 100) target >= 100)"
  r=$(ratio "${rps[pg/$conns]}" "${rps[prepare/$conns]}")
  echo "pg through the local Hyperdrive / prepare() at $conns connections: $r ($(verdict "$r" 0.5) target >= 0.5)"
done

if ((FAILED)); then
  echo "!!!!!!!! bench: requests failed; the server's log follows !!!!!!!!" >&2
  tail -n 50 "$BIN/edgerun.log" >&2
  exit 1
fi
