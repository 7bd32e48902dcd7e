#!/usr/bin/env bash
# Issue #16 item 6: `edgerun dev` against `edgerun serve` on the same handler, access log on in
# both (dev's default; serve with --access-log), measured in the same run with wrk on loopback,
# the two servers taking turns. The log goes to a file, as a terminal or a log collector would
# take it. SERVE_ACCESS_LOG=false measures serve as it is by default, without the access log
# (the stricter comparison). Usage: bench/dev.sh (DURATION=10s CONNS=50 ROUNDS=2 by default;
# WORKERS as in hello.sh; EDGERUN=path measures that binary).
source "$(dirname "$0")/lib.sh"
need wrk wrk
CONNS=${CONNS:-50}
ROUNDS=${ROUNDS:-2}
SERVE_ACCESS_LOG=${SERVE_ACCESS_LOG:-true}
WORKERS=${WORKERS:-"examples/hello testdata/workers/costs/realistic"}
cd "$ROOT"
if [ -n "${EDGERUN:-}" ]; then cp "$EDGERUN" "$BIN/edgerun"; else go build -o "$BIN/edgerun" ./cmd/edgerun; fi
echo "connections=$CONNS duration=$DURATION rounds=$ROUNDS serve --access-log=$SERVE_ACCESS_LOG"
for w in $WORKERS; do
  # dev keeps its state (and the watcher's view) in the project; give it a copy.
  proj="$BIN/$(basename "$w")"; cp -r "$w" "$proj"
  "$BIN/edgerun" serve -c "$proj/wrangler.toml" --port 18801 --admin off --access-log="$SERVE_ACCESS_LOG" --log-format pretty >"$BIN/serve.log" 2>&1 & serve=$!
  "$BIN/edgerun" dev -c "$proj/wrangler.toml" --port 18802 --admin off >"$BIN/dev.log" 2>&1 & dev=$!
  PIDS+=("$serve" "$dev")
  wait_http http://127.0.0.1:18801/item; wait_http http://127.0.0.1:18802/item
  for r in $(seq 1 "$ROUNDS"); do
    rps_cpu http://127.0.0.1:18801/item "$CONNS" "$serve"; s=$RPS sc=$CPU
    rps_cpu http://127.0.0.1:18802/item "$CONNS" "$dev"; d=$RPS dc=$CPU
    echo "$w round $r: serve $s req/s ($sc CPU µs/req), dev $d req/s ($dc CPU µs/req), dev/serve $(ratio "$d" "$s") by rate, $(ratio "$sc" "$dc") by CPU  (target >= 0.8)"
  done
  echo "$w: access-log lines: serve $(wc -l <"$BIN/serve.log"), dev $(wc -l <"$BIN/dev.log")"
  kill "$serve" "$dev"; wait "$serve" "$dev" 2>/dev/null || true
done
