#!/usr/bin/env bash
# Throughput of edgerun's hello-world worker vs a bare fasthttp hello handler,
# measured in the same run with wrk on loopback. Usage: bench/hello.sh
# (DURATION=10s CONNS=50 by default). WORKERS lists the projects to measure
# against the same bare server, in turn: by default examples/hello; "all" adds
# the sync headers-init variant and the realistic handler (async, new URL,
# pathname check, headers init) of testdata/workers/costs. EDGERUN=path
# measures that binary instead of building this checkout (an A/B against a
# baseline commit in the same sitting).
source "$(dirname "$0")/lib.sh"
need wrk wrk
CONNS=${CONNS:-50}
WORKERS=${WORKERS:-examples/hello}
[ "$WORKERS" = all ] && WORKERS="examples/hello testdata/workers/costs/headers testdata/workers/costs/realistic"
cd "$ROOT"
if [ -n "${EDGERUN:-}" ]; then cp "$EDGERUN" "$BIN/edgerun"; else go build -o "$BIN/edgerun" ./cmd/edgerun; fi
go build -o "$BIN/barehello" ./bench/barehello

"$BIN/barehello" -addr 127.0.0.1:18790 & PIDS+=($!)
wait_http http://127.0.0.1:18790/item
echo "connections=$CONNS duration=$DURATION"
port=18791
for w in $WORKERS; do
  "$BIN/edgerun" serve -c "$w/wrangler.toml" --port "$port" --log-level warn & pid=$!
  wait_http "http://127.0.0.1:$port/item"
  bare=$(rps http://127.0.0.1:18790/item "$CONNS")
  edge=$(rps "http://127.0.0.1:$port/item" "$CONNS")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "bare fasthttp:      $bare req/s"
  echo "edgerun $w: $edge req/s"
  echo "ratio edgerun/bare: $(ratio "$edge" "$bare")  (target >= 0.5 for examples/hello)"
  port=$((port + 1))
done
