#!/usr/bin/env bash
# Throughput of edgerun's hello-world worker vs a bare fasthttp hello handler,
# measured in the same run with wrk on loopback. Usage: bench/hello.sh
# (DURATION=10s CONNS=50 by default).
source "$(dirname "$0")/lib.sh"
need wrk wrk
CONNS=${CONNS:-50}
cd "$ROOT"
go build -o "$BIN/edgerun" ./cmd/edgerun
go build -o "$BIN/barehello" ./bench/barehello

"$BIN/barehello" -addr 127.0.0.1:18790 & PIDS+=($!)
"$BIN/edgerun" serve -c examples/hello/wrangler.toml --port 18791 --log-level warn & PIDS+=($!)
wait_http http://127.0.0.1:18790/
wait_http http://127.0.0.1:18791/

bare=$(rps http://127.0.0.1:18790/ "$CONNS")
edge=$(rps http://127.0.0.1:18791/ "$CONNS")
echo "connections=$CONNS duration=$DURATION"
echo "bare fasthttp:      $bare req/s"
echo "edgerun hello:      $edge req/s"
echo "ratio edgerun/bare: $(ratio "$edge" "$bare")  (target >= 0.5)"
