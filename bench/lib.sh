# Shared helpers for the bench scripts: loopback only, bounded durations.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
BIN=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$BIN"; }
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "bench: $1 is missing (Debian: apt-get install $2)" >&2; exit 1; }; }

wait_http() { # url
  for _ in $(seq 1 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "bench: $1 never answered" >&2; exit 1
}

# rps URL CONNECTIONS -> prints requests/sec; fails on non-2xx or socket errors.
rps() {
  local out
  out=$(wrk -t"$THREADS" -c"$2" -d"$DURATION" --latency "$1")
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "bench: errors against $1:" >&2; echo "$out" >&2; fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of the process

# rps_cpu URL CONNECTIONS PID -> sets RPS and CPU (the server's CPU µs per request, which a
# loaded machine disturbs far less than the rate); fails on non-2xx or socket errors.
rps_cpu() {
  local out before after n
  before=$(cpu_ticks "$3")
  out=$(wrk -t"$THREADS" -c"$2" -d"$DURATION" --latency "$1")
  after=$(cpu_ticks "$3")
  if grep -q "Non-2xx\|Socket errors" <<<"$out"; then echo "bench: errors against $1:" >&2; echo "$out" >&2; fi
  RPS=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  CPU=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
}

# start_pg [MIGRATIONS_DIR] -> sets DSN: a throwaway PostgreSQL (bench/pgserver, built into
# $BIN), with the directory's migrations applied; pgserver stops it and deletes its files on
# SIGTERM (cleanup).
start_pg() {
  go build -o "$BIN/pgserver" ./bench/pgserver
  "$BIN/pgserver" ${1:+-migrations "$1"} >"$BIN/pg.url" 2>"$BIN/pg.log" & PIDS+=($!)
  local pg_pid=$!
  for _ in $(seq 1 1200); do
    [[ -s "$BIN/pg.url" ]] && break
    kill -0 "$pg_pid" 2>/dev/null || { echo "bench: PostgreSQL did not start:" >&2; cat "$BIN/pg.log" >&2; exit 1; }
    sleep 0.05
  done
  DSN=$(head -n1 "$BIN/pg.url")
  [[ -n "$DSN" ]] || { echo "bench: PostgreSQL did not start within 60s" >&2; cat "$BIN/pg.log" >&2; exit 1; }
}
